package dev.jccl.algo;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;

import java.nio.ByteBuffer;

import static dev.jccl.algo.RingPattern.blockCount;
import static dev.jccl.algo.RingPattern.blockStart;

/** Reduce for large messages: ring reduce-scatter, then every rank sends its reduced block to the root. */
public final class RingReduce implements ReduceAlgorithm
{
    public static final String NAME = "ring";

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public String description()
    {
        return "ring reduce-scatter then gather of the reduced blocks to the root, for large messages";
    }

    /*
     * Narrative. Phase 1 is the pipelined ring reduce-scatter of RingReduceScatter over n balanced
     * blocks: afterwards rank b holds the full reduction of block b, computed in one fixed order.
     * Phase 2 gathers: each non-root rank sends its block straight from its buffer to the root,
     * and the root posts one receive per other rank straight into the block's final place. Phase 1
     * waits for its own sends, so the root never receives into memory still being sent from.
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
        final int rank = ctx.rank();
        final int es = type.size();
        RingReduceScatter.reduceScatterPhase(ctx, buffer, offset, count, type, op);

        if (rank != root)
        {
            final long c = blockCount(count, n, rank);
            if (c > 0)
            {
                final long at = blockStart(count, n, rank) * es;
                ctx.p2p().await(Messages.send(ctx, root, buffer, offset + (int)at, at, (int)(c * es)));
            }
            return;
        }
        final long[] tickets = ctx.tickets(n);
        int posted = 0;
        for (int b = 0; b < n; b++)
        {
            final long c = blockCount(count, n, b);
            if (b != root && c > 0)
            {
                final long at = blockStart(count, n, b) * es;
                tickets[posted++] = Messages.recv(ctx, b, buffer, offset + (int)at, at, (int)(c * es));
            }
        }
        for (int i = 0; i < posted; i++)
        {
            ctx.p2p().await(tickets[i]);
        }
    }
}
