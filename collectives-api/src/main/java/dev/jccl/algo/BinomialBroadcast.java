package dev.jccl.algo;

import java.nio.ByteBuffer;

import static dev.jccl.algo.BinomialTreePattern.*;

/** Binomial-tree broadcast for small messages: {@code ceil(log2 n)} rounds, whole message per hop. */
public final class BinomialBroadcast implements BroadcastAlgorithm
{
    public static final String NAME = "binomial";

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public String description()
    {
        return "binomial tree: ceil(log2 n) rounds of whole-message sends, latency-optimal for small messages";
    }

    /*
     * Narrative (see BinomialTreePattern). Ranks are renumbered so the root is vrank 0. Every
     * rank but the root first receives the whole message from its parent (its vrank with the
     * lowest set bit cleared) straight into the caller's buffer, then sends it on to its children,
     * largest subtree first so the deepest branch starts earliest. The sends read a buffer that no
     * longer changes and are awaited together at the end.
     */
    @Override
    public void broadcast(final CollectiveContext ctx, final ByteBuffer buffer, final int offset, final int length, final int root)
    {
        final int n = ctx.size();
        if (n == 1 || length == 0)
        {
            return;
        }
        final int vrank = virtualRank(ctx.rank(), root, n);
        if (vrank != 0)
        {
            ctx.p2p().await(Messages.recv(ctx, realRank(parent(vrank), root, n), buffer, offset, 0, length));
        }
        final int children = childCount(vrank, n);
        final long[] sends = ctx.tickets(children);
        for (int i = 0; i < children; i++)
        {
            sends[i] = Messages.send(ctx, realRank(child(vrank, n, i), root, n), buffer, offset, 0, length);
        }
        for (int i = 0; i < children; i++)
        {
            ctx.p2p().await(sends[i]);
        }
    }
}
