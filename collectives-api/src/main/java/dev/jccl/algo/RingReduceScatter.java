package dev.jccl.algo;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;

import java.nio.ByteBuffer;

import static dev.jccl.algo.RingPattern.*;

/**
 * Ring reduce-scatter: {@code n - 1} steps around the ring, each moving one block per rank, cut
 * into pipelined segments. Bandwidth-optimal: every rank sends and receives {@code (n-1)/n} of
 * the data once.
 */
public final class RingReduceScatter implements ReduceScatterAlgorithm
{
    public static final String NAME = "ring";

    /** Receives posted ahead of the one being reduced: two halves of scratch slot 0. */
    static final int RECV_DEPTH = 2;

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public String description()
    {
        return "segmented pipelined ring: n-1 steps, each rank sends (n-1)/n of the data";
    }

    @Override
    public void reduceScatter(
        final CollectiveContext ctx, final ByteBuffer buffer, final int offset, final int blockCount,
        final DataType type, final ReduceOp op)
    {
        reduceScatterPhase(ctx, buffer, offset, (long)blockCount * ctx.size(), type, op);
    }

    /**
     * The reduce-scatter phase over {@code count} elements cut into balanced blocks (see
     * {@link RingPattern}); on return block {@code rank} holds the full reduction and every message
     * this phase posted has completed.
     *
     * <p>Narrative. Step 0's sends (our own block {@code rank - 1}, every segment) are posted at
     * once: the data is ready. Receives then walk the (step, segment) units in order, two at a
     * time: while unit {@code i} is reduced from one half of the scratch into the caller's buffer,
     * unit {@code i + 1} is already arriving in the other half. As soon as a segment is reduced it
     * is what the right neighbour needs for the next step, so its send is posted right away; thus
     * step {@code s + 1} of segment 0 travels while step {@code s} of later segments is still
     * arriving. A block is reduced into before it is sent and never touched after, so pending
     * sends always read stable memory. Per block the reduction runs along the ring from rank
     * {@code b + 1} to rank {@code b} as {@code op(local, incoming)}, so the order is fixed and the one
     * reduced copy lives on rank {@code b} alone.
     */
    static void reduceScatterPhase(
        final CollectiveContext ctx, final ByteBuffer buffer, final int offset, final long count,
        final DataType type, final ReduceOp op)
    {
        final int n = ctx.size();
        if (n == 1 || count == 0)
        {
            return;
        }
        final int rank = ctx.rank();
        final int es = type.size();
        final long segElems = segmentElements(count, n, es, ctx.segmentBytes());
        final int nseg = segments(count, n, segElems);
        final int total = (n - 1) * nseg;
        final int right = right(rank, n);
        final int left = left(rank, n);
        final int halfBytes = (int)(Math.min(segElems, blockCount(count, n, 0)) * es);
        final ByteBuffer scratch = ctx.scratch(0, RECV_DEPTH * halfBytes);

        boolean sent = false;
        long lastSend = 0;
        final int first = reduceScatterSendBlock(rank, 0, n);
        for (int k = 0; k < nseg; k++)
        {
            final long c = segmentCount(count, n, first, k, segElems);
            if (c > 0)
            {
                final long at = segmentStart(count, n, first, k, segElems) * es;
                lastSend = Messages.send(ctx, right, buffer, offset + (int)at, at, (int)(c * es));
                sent = true;
            }
        }

        final long[] tickets = ctx.tickets(RECV_DEPTH);
        int posted = 0;
        int done = 0;
        int postUnit = nextUnit(count, n, rank, nseg, segElems, -1, total);
        while (postUnit < total && posted - done < RECV_DEPTH)
        {
            tickets[posted % RECV_DEPTH] = postUnitRecv(ctx, left, scratch, (posted % RECV_DEPTH) * halfBytes,
                count, n, rank, nseg, segElems, es, postUnit);
            posted++;
            postUnit = nextUnit(count, n, rank, nseg, segElems, postUnit, total);
        }

        int unit = nextUnit(count, n, rank, nseg, segElems, -1, total);
        while (unit < total)
        {
            final int half = done % RECV_DEPTH;
            ctx.p2p().await(tickets[half]);
            done++;
            final int step = unit / nseg;
            final int k = unit % nseg;
            final int block = reduceScatterRecvBlock(rank, step, n);
            final long c = segmentCount(count, n, block, k, segElems);
            final long at = segmentStart(count, n, block, k, segElems) * es;
            Messages.reduceInto(ctx, type, op, buffer, offset + (int)at, scratch, half * halfBytes, c);
            if (step < n - 2)
            {
                lastSend = Messages.send(ctx, right, buffer, offset + (int)at, at, (int)(c * es));
                sent = true;
            }
            if (postUnit < total)
            {
                tickets[posted % RECV_DEPTH] = postUnitRecv(ctx, left, scratch, (posted % RECV_DEPTH) * halfBytes,
                    count, n, rank, nseg, segElems, es, postUnit);
                posted++;
                postUnit = nextUnit(count, n, rank, nseg, segElems, postUnit, total);
            }
            unit = nextUnit(count, n, rank, nseg, segElems, unit, total);
        }
        if (sent)
        {
            ctx.p2p().await(lastSend);
        }
    }

    private static long postUnitRecv(
        final CollectiveContext ctx, final int left, final ByteBuffer scratch, final int scratchOffset,
        final long count, final int n, final int rank, final int nseg, final long segElems, final int es, final int unit)
    {
        final int block = reduceScatterRecvBlock(rank, unit / nseg, n);
        final int k = unit % nseg;
        final long c = segmentCount(count, n, block, k, segElems);
        final long at = segmentStart(count, n, block, k, segElems) * es;
        return Messages.recv(ctx, left, scratch, scratchOffset, at, (int)(c * es));
    }

    /** The next (step, segment) unit after {@code unit} whose segment is not empty; {@code total} when none. */
    static int nextUnit(
        final long count, final int n, final int rank, final int nseg, final long segElems, final int unit, final int total)
    {
        int u = unit + 1;
        while (u < total && segmentCount(count, n, reduceScatterRecvBlock(rank, u / nseg, n), u % nseg, segElems) == 0)
        {
            u++;
        }
        return u;
    }
}
