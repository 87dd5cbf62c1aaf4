package dev.jccl.algo;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;

import java.nio.ByteBuffer;

import static dev.jccl.algo.HalvingDoublingPattern.*;
import static dev.jccl.algo.RecursiveDoublingPattern.*;

/**
 * Recursive halving-doubling allreduce (Rabenseifner's): a reduce-scatter by recursive halving,
 * then an allgather by recursive doubling. Each rank sends {@code 2 (p-1)/p} of the vector, as in
 * the ring, but in {@code 2 log2 p} rounds instead of {@code 2 (n-1)}, and reduces only
 * {@code (p-1)/p} of it where recursive doubling reduces {@code log2 p} whole vectors.
 */
public final class HalvingDoublingAllReduce extends SourceReadingAllReduce
{
    public static final String NAME = "rhd";

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public String description()
    {
        return "recursive halving reduce-scatter + recursive doubling allgather (Rabenseifner), medium messages";
    }

    /*
     * Narrative (HalvingDoublingPattern has the block maths; src and dst are the same memory in
     * place).
     *
     * Fold-in, as in recursive doubling: with p the largest power of two <= n, each extra (even
     * rank below 2 (n-p)) sends its whole vector to the odd rank above it, which stores
     * op(extra, own) in dst, and waits for the result.
     *
     * Reduce-scatter: log2 p steps of halving distance. A rank sends the half of its current
     * range its partner keeps and receives the partner's copy of the half it keeps, into scratch
     * slot 0 (or reduced straight out of the transport's memory when it reduces on receive), then
     * stores op(lower rank's data, higher rank's data) in dst. Until a rank has reduced once its
     * contribution is still in src: the first step sends from and reduces with src, so out of
     * place the source is never copied. Each block is reduced once per step by its one holder, so
     * after the last step block q exists in one reduced copy, on new rank q.
     *
     * Allgather: log2 p steps of doubling distance, swapping the blocks held straight into dst.
     * Only copies of each block's one reduced form travel, so every rank ends bit-identical.
     *
     * Every step waits for its send as well as its receive: the allgather receives into ranges
     * that reduce-scatter sends were reading. Send-back: each host of an extra sends the result.
     */
    @Override
    void reduce(
        final CollectiveContext ctx, final ByteBuffer src, final int srcOffset, final ByteBuffer dst, final int dstOffset,
        final int count, final DataType type, final ReduceOp op)
    {
        final int n = ctx.size();
        final int rank = ctx.rank();
        final int size = type.size();
        final int bytes = Math.multiplyExact(count, size);

        if (ExtraRanks.sitOut(ctx, src, srcOffset, dst, dstOffset, bytes))
        {
            return;
        }
        final int p = powerOfTwo(n);
        final int q = newRank(rank, n);
        ByteBuffer local = src;
        int localOffset = srcOffset;
        if (ExtraRanks.foldIn(ctx, src, srcOffset, dst, dstOffset, count, type, op))
        {
            local = dst;
            localOffset = dstOffset;
        }

        final int steps = steps(n);
        for (int s = 0; s < steps; s++)
        {
            final int d = reduceScatterDistance(p, s);
            final int partner = realRank(q ^ d, n);
            final long sendFirst = rangeStart(count, p, sendStart(q, d));
            final int sendBytes = (int)rangeCount(count, p, sendStart(q, d), d) * size;
            final long keepFirst = rangeStart(count, p, keepStart(q, d));
            final long keepCount = rangeCount(count, p, keepStart(q, d), d);
            final int keepAt = (int)keepFirst * size;
            final long sendTicket = Messages.send(ctx, partner, local, localOffset + (int)sendFirst * size, sendFirst * size, sendBytes);
            if (ctx.p2p().reducesOnReceive())
            {
                ctx.p2p().await(Messages.recvReduce(ctx, partner, dst, dstOffset + keepAt, local, localOffset + keepAt,
                    keepAt, (int)keepCount * size, type, op));
            }
            else
            {
                final ByteBuffer scratch = ctx.scratch(0, (int)keepCount * size);
                ctx.p2p().await(Messages.recv(ctx, partner, scratch, 0, keepAt, (int)keepCount * size));
                if (partner < rank)
                {
                    Messages.reduceInto(ctx, type, op, dst, dstOffset + keepAt, scratch, 0, local, localOffset + keepAt, keepCount);
                }
                else
                {
                    Messages.reduceInto(ctx, type, op, dst, dstOffset + keepAt, local, localOffset + keepAt, scratch, 0, keepCount);
                }
            }
            ctx.p2p().await(sendTicket);
            local = dst;
            localOffset = dstOffset;
        }

        for (int s = 0; s < steps; s++)
        {
            final int d = allGatherDistance(s);
            final int partner = realRank(q ^ d, n);
            final int heldAt = (int)rangeStart(count, p, heldStart(q, d)) * size;
            final int heldBytes = (int)rangeCount(count, p, heldStart(q, d), d) * size;
            final int theirsAt = (int)rangeStart(count, p, heldStart(q ^ d, d)) * size;
            final int theirsBytes = (int)rangeCount(count, p, heldStart(q ^ d, d), d) * size;
            final long sendTicket = Messages.send(ctx, partner, dst, dstOffset + heldAt, heldAt, heldBytes);
            final long recvTicket = Messages.recv(ctx, partner, dst, dstOffset + theirsAt, theirsAt, theirsBytes);
            ctx.p2p().await(recvTicket);
            ctx.p2p().await(sendTicket);
        }

        ExtraRanks.sendBack(ctx, dst, dstOffset, bytes);
    }
}
