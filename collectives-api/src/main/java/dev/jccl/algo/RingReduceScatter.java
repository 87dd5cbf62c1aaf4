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

    /** {@link #reduceScatterPhase(CollectiveContext, ByteBuffer, int, ByteBuffer, int, long, DataType, ReduceOp)} in place. */
    static void reduceScatterPhase(
        final CollectiveContext ctx, final ByteBuffer buffer, final int offset, final long count,
        final DataType type, final ReduceOp op)
    {
        reduceScatterPhase(ctx, buffer, offset, buffer, offset, count, type, op);
    }

    /**
     * The reduce-scatter phase over {@code count} elements cut into balanced blocks (see
     * {@link RingPattern}), reading this rank's contribution from {@code src} and writing into
     * {@code buffer} (the same memory for in place); on return block {@code rank} of
     * {@code buffer} holds the full reduction and every message this phase posted has completed.
     * Out of place, the other blocks of {@code buffer} hold partial sums or nothing: the caller's
     * allgather overwrites them, so {@code src} is never copied into {@code buffer} first.
     *
     * <p>Narrative. Step 0's sends (our own block {@code rank - 1}, every segment, from
     * {@code src}) are posted at once: the data is ready. Receives then walk the (step, segment)
     * units in order, two at a time: while unit {@code i} is reduced as
     * {@code buffer = op(src, incoming)}, unit {@code i + 1} is already arriving. A transport that
     * reduces on receive ({@link dev.jccl.spi.PointToPoint#reducesOnReceive}) does that reduction
     * itself, straight out of its own memory; otherwise the unit lands in one half of scratch
     * slot 0 and is reduced from there. As soon as a segment is reduced it is what the right
     * neighbour needs for the next step, so its send is posted right away; thus step {@code s + 1}
     * of segment 0 travels while step {@code s} of later segments is still arriving. Each block is
     * received once, reduced before it is sent and never touched after, so pending sends always
     * read stable memory. Per block the reduction runs along the ring from rank {@code b + 1} to
     * rank {@code b} as {@code op(local, incoming)}, so the order is fixed and the one reduced copy
     * lives on rank {@code b} alone.
     */
    static void reduceScatterPhase(
        final CollectiveContext ctx, final ByteBuffer src, final int srcOffset, final ByteBuffer buffer, final int offset,
        final long count, final DataType type, final ReduceOp op)
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
        final boolean fused = ctx.p2p().reducesOnReceive();
        final int halfBytes = (int)(Math.min(segElems, blockCount(count, n, 0)) * es);
        final ByteBuffer scratch = fused ? null : ctx.scratch(0, RECV_DEPTH * halfBytes);

        boolean sent = false;
        long lastSend = 0;
        final int first = reduceScatterSendBlock(rank, 0, n);
        for (int k = 0; k < nseg; k++)
        {
            final long c = segmentCount(count, n, first, k, segElems);
            if (c > 0)
            {
                final long at = segmentStart(count, n, first, k, segElems) * es;
                lastSend = Messages.send(ctx, right, src, srcOffset + (int)at, at, (int)(c * es));
                sent = true;
            }
        }

        final long[] tickets = ctx.tickets(RECV_DEPTH);
        int posted = 0;
        int done = 0;
        int postUnit = nextUnit(count, n, rank, nseg, segElems, -1, total);
        while (postUnit < total && posted - done < RECV_DEPTH)
        {
            tickets[posted % RECV_DEPTH] = postUnitRecv(ctx, left, src, srcOffset, buffer, offset, scratch,
                (posted % RECV_DEPTH) * halfBytes, count, n, rank, nseg, segElems, type, op, postUnit);
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
            if (!fused)
            {
                Messages.reduceInto(ctx, type, op, buffer, offset + (int)at, src, srcOffset + (int)at, scratch, half * halfBytes, c);
            }
            if (step < n - 2)
            {
                lastSend = Messages.send(ctx, right, buffer, offset + (int)at, at, (int)(c * es));
                sent = true;
            }
            if (postUnit < total)
            {
                tickets[posted % RECV_DEPTH] = postUnitRecv(ctx, left, src, srcOffset, buffer, offset, scratch,
                    (posted % RECV_DEPTH) * halfBytes, count, n, rank, nseg, segElems, type, op, postUnit);
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

    /**
     * Posts the receive of one (step, segment) unit: reduced on arrival into {@code buffer} when
     * the transport can ({@code scratch} is null then), else into {@code scratch} at {@code scratchOffset}.
     */
    private static long postUnitRecv(
        final CollectiveContext ctx, final int left, final ByteBuffer src, final int srcOffset,
        final ByteBuffer buffer, final int offset, final ByteBuffer scratch, final int scratchOffset,
        final long count, final int n, final int rank, final int nseg, final long segElems,
        final DataType type, final ReduceOp op, final int unit)
    {
        final int block = reduceScatterRecvBlock(rank, unit / nseg, n);
        final int k = unit % nseg;
        final long c = segmentCount(count, n, block, k, segElems);
        final long at = segmentStart(count, n, block, k, segElems) * type.size();
        final int length = (int)(c * type.size());
        if (scratch == null)
        {
            return Messages.recvReduce(ctx, left, buffer, offset + (int)at, src, srcOffset + (int)at, at, length, type, op);
        }
        return Messages.recv(ctx, left, scratch, scratchOffset, at, length);
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
