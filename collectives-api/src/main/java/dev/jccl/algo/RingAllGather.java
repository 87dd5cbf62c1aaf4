package dev.jccl.algo;

import java.nio.ByteBuffer;

import static dev.jccl.algo.RingPattern.*;

/**
 * Ring allgather: each block travels {@code n - 1} hops to the right, in pipelined segments,
 * straight from and into the caller's buffer.
 */
public final class RingAllGather implements AllGatherAlgorithm
{
    public static final String NAME = "ring";

    /** Receives posted ahead: they land in the caller's buffer, so a few more cost nothing. */
    static final int RECV_DEPTH = 4;

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public String description()
    {
        return "segmented pipelined ring: each block forwarded n-1 hops, bandwidth-optimal for large blocks";
    }

    @Override
    public void allGather(final CollectiveContext ctx, final ByteBuffer buffer, final int offset, final int blockLength)
    {
        allGatherPhase(ctx, buffer, offset, (long)blockLength * ctx.size(), 1);
    }

    /**
     * The allgather phase over {@code count} elements of {@code elementSize} bytes cut into
     * balanced blocks (see {@link RingPattern}); rank {@code r} holds block {@code r} on entry and
     * every block on return, with every message this phase posted complete.
     *
     * <p>Narrative. Our own block's segments are sent to the right at once. Receives from the left
     * walk the (step, segment) units in order with a few posted ahead, straight into their final
     * place; a segment that arrived in step {@code s} is what the right neighbour needs in step
     * {@code s + 1}, so it is forwarded the moment it lands (except in the last step, whose block
     * the right neighbour already has). Bytes are copied, never recomputed, so every rank ends
     * with the very bytes the block's owner had.
     */
    static void allGatherPhase(
        final CollectiveContext ctx, final ByteBuffer buffer, final int offset, final long count, final int elementSize)
    {
        final int n = ctx.size();
        if (n == 1 || count == 0)
        {
            return;
        }
        final int rank = ctx.rank();
        final int es = elementSize;
        final long segElems = segmentElements(count, n, es, ctx.segmentBytes());
        final int nseg = segments(count, n, segElems);
        final int total = (n - 1) * nseg;
        final int right = right(rank, n);
        final int left = left(rank, n);

        boolean sent = false;
        long lastSend = 0;
        final int own = allGatherSendBlock(rank, 0, n);
        for (int k = 0; k < nseg; k++)
        {
            final long c = segmentCount(count, n, own, k, segElems);
            if (c > 0)
            {
                final long at = segmentStart(count, n, own, k, segElems) * es;
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
            tickets[posted % RECV_DEPTH] = postUnitRecv(ctx, left, buffer, offset, count, n, rank, nseg, segElems, es, postUnit);
            posted++;
            postUnit = nextUnit(count, n, rank, nseg, segElems, postUnit, total);
        }

        int unit = nextUnit(count, n, rank, nseg, segElems, -1, total);
        while (unit < total)
        {
            ctx.p2p().await(tickets[done % RECV_DEPTH]);
            done++;
            final int step = unit / nseg;
            if (step < n - 2)
            {
                final int block = allGatherRecvBlock(rank, step, n);
                final int k = unit % nseg;
                final long c = segmentCount(count, n, block, k, segElems);
                final long at = segmentStart(count, n, block, k, segElems) * es;
                lastSend = Messages.send(ctx, right, buffer, offset + (int)at, at, (int)(c * es));
                sent = true;
            }
            if (postUnit < total)
            {
                tickets[posted % RECV_DEPTH] = postUnitRecv(ctx, left, buffer, offset, count, n, rank, nseg, segElems, es, postUnit);
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
        final CollectiveContext ctx, final int left, final ByteBuffer buffer, final int offset,
        final long count, final int n, final int rank, final int nseg, final long segElems, final int es, final int unit)
    {
        final int block = allGatherRecvBlock(rank, unit / nseg, n);
        final int k = unit % nseg;
        final long c = segmentCount(count, n, block, k, segElems);
        final long at = segmentStart(count, n, block, k, segElems) * es;
        return Messages.recv(ctx, left, buffer, offset + (int)at, at, (int)(c * es));
    }

    static int nextUnit(
        final long count, final int n, final int rank, final int nseg, final long segElems, final int unit, final int total)
    {
        int u = unit + 1;
        while (u < total && segmentCount(count, n, allGatherRecvBlock(rank, u / nseg, n), u % nseg, segElems) == 0)
        {
            u++;
        }
        return u;
    }
}
