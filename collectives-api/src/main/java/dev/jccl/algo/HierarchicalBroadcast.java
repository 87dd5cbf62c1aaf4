package dev.jccl.algo;

import java.nio.ByteBuffer;

/**
 * Broadcast for jobs that span hosts: the message crosses the network once per host, between
 * the hosts' first ranks, and travels inside every host over shared memory. Without a
 * {@link CollectiveContext#hierarchy()}, or when it does not pay, it runs the flat chain.
 */
public final class HierarchicalBroadcast implements BroadcastAlgorithm
{
    public static final String NAME = "hier";

    private static final ChainBroadcast CHAIN = new ChainBroadcast();

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public String description()
    {
        return "pipelined chain inside the root's host, across the hosts' first ranks, then inside every other host";
    }

    /** Out of place: the flat chain's overlapped root copy when it runs the flat chain, else send then copy. */
    @Override
    public void broadcast(
        final CollectiveContext ctx, final ByteBuffer src, final int srcOffset, final ByteBuffer dst, final int dstOffset,
        final int length, final int root)
    {
        final HierarchyPattern hierarchy = ctx.hierarchy();
        if (hierarchy == null || !hierarchy.worthwhile())
        {
            CHAIN.broadcast(ctx, src, srcOffset, dst, dstOffset, length, root);
            return;
        }
        BroadcastAlgorithm.super.broadcast(ctx, src, srcOffset, dst, dstOffset, length, root);
    }

    /*
     * Narrative. Phase 1, on the root's host: a pipelined chain from the root to its host-mates,
     * which gives the host's first rank the message. Phase 2: a chain across the first rank of
     * every host, rooted at the root host's. Phase 3, on every other host: a chain from its first
     * rank to the rest. Every rank takes part in the phases of its own host and, when it is a
     * first rank, in phase 2; a flat chain would instead cross between hosts once per rank pair
     * that happens to sit on different hosts.
     */
    @Override
    public void broadcast(final CollectiveContext ctx, final ByteBuffer buffer, final int offset, final int length, final int root)
    {
        final HierarchyPattern hierarchy = ctx.hierarchy();
        if (ctx.size() == 1 || length == 0)
        {
            return;
        }
        if (hierarchy == null || !hierarchy.worthwhile())
        {
            CHAIN.broadcast(ctx, buffer, offset, length, root);
            return;
        }
        final int rank = ctx.rank();
        final int rootHost = hierarchy.hostOf(root);
        final boolean onRootHost = hierarchy.hostOf(rank) == rootHost;
        if (onRootHost)
        {
            CHAIN.broadcast(ctx.localGroup(), buffer, offset, length, hierarchy.localIndex(root));
        }
        if (hierarchy.localIndex(rank) == 0)
        {
            CHAIN.broadcast(ctx.leaderGroup(), buffer, offset, length, rootHost);
        }
        if (!onRootHost)
        {
            CHAIN.broadcast(ctx.localGroup(), buffer, offset, length, 0);
        }
    }
}
