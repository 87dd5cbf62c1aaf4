package dev.jccl.algo;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;

import java.nio.ByteBuffer;

import static dev.jccl.algo.BinomialTreePattern.*;

/** Binomial-tree reduce for small messages: {@code ceil(log2 n)} rounds, whole message per hop. */
public final class BinomialReduce implements ReduceAlgorithm
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
        return "binomial tree: ceil(log2 n) rounds of whole-message reductions toward the root, for small messages";
    }

    /*
     * Narrative (see BinomialTreePattern). The broadcast tree run backwards, with the root as
     * vrank 0. Each rank collects its children smallest subtree first (the order in which they
     * finish), with two receives in flight in the two halves of scratch slot 0, and combines each
     * as op(own, child): the child's subtree covers higher vranks, so every partial result is an
     * in-order reduction of a contiguous run of vranks and the order is the same on every run.
     * Then it sends its partial result to its parent and is done; the root ends with the total.
     */
    @Override
    public void reduce(
        final CollectiveContext ctx, final ByteBuffer buffer, final int offset, final int count,
        final DataType type, final ReduceOp op, final int root)
    {
        final int n = ctx.size();
        if (n == 1 || count == 0)
        {
            return;
        }
        final int vrank = virtualRank(ctx.rank(), root, n);
        final int bytes = Math.multiplyExact(count, type.size());
        final int children = childCount(vrank, n);
        if (children > 0)
        {
            final int depth = bytes <= Integer.MAX_VALUE / 2 ? 2 : 1;
            final ByteBuffer scratch = ctx.scratch(0, depth * bytes);
            final long[] tickets = ctx.tickets(depth);
            int posted = 0;
            while (posted < children && posted < depth)
            {
                tickets[posted % depth] = postChild(ctx, scratch, (posted % depth) * bytes, vrank, n, root, children, posted, bytes);
                posted++;
            }
            for (int j = 0; j < children; j++)
            {
                final int half = j % depth;
                ctx.p2p().await(tickets[half]);
                Messages.reduceInto(ctx, type, op, buffer, offset, scratch, half * bytes, count);
                if (posted < children)
                {
                    tickets[posted % depth] = postChild(ctx, scratch, (posted % depth) * bytes, vrank, n, root, children, posted, bytes);
                    posted++;
                }
            }
        }
        if (vrank != 0)
        {
            ctx.p2p().await(Messages.send(ctx, realRank(parent(vrank), root, n), buffer, offset, 0, bytes));
        }
    }

    /** Posts the receive from the {@code j}-th child in collection order (smallest subtree first). */
    private static long postChild(
        final CollectiveContext ctx, final ByteBuffer scratch, final int scratchOffset,
        final int vrank, final int n, final int root, final int children, final int j, final int bytes)
    {
        final int child = child(vrank, n, children - 1 - j);
        return Messages.recv(ctx, realRank(child, root, n), scratch, scratchOffset, 0, bytes);
    }
}
