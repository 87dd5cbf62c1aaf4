package dev.jccl.algo;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;

import java.nio.ByteBuffer;

import static dev.jccl.algo.RecursiveDoublingPattern.*;

/**
 * Recursive-doubling allreduce for small messages: {@code log2 p} exchanges of the whole vector,
 * plus one fold-in and one send-back step when the world size is not a power of two.
 */
public final class RecursiveDoublingAllReduce extends SourceReadingAllReduce
{
    public static final String NAME = "rd";

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public String description()
    {
        return "recursive doubling (any size: extras fold in first), latency-optimal for small messages";
    }

    /*
     * Narrative (see RecursiveDoublingPattern for the rank maths; src and dst are the same memory
     * in place).
     *
     * Fold-in (ExtraRanks): with p the largest power of two <= n and rem = n - p, each even rank below 2*rem
     * sends its vector to the odd rank above it and waits; the odd rank stores op(extra, own) in dst.
     *
     * Exchange: the p remaining ranks swap whole vectors with the partner at distance 2^s in new
     * rank order, s = 0 .. log2(p)-1, receiving into scratch slot 0. Both partners compute
     * op(lower rank's vector, higher rank's vector), with identical operands in identical order,
     * so after every step they hold identical bytes: the result is bit-identical on every rank,
     * for floats and NaN payloads too. Until a rank has reduced once its vector is still in src:
     * the first exchange sends from and reduces with src, so out of place the source is never
     * copied into dst first. Our own send must complete before dst is overwritten.
     *
     * Send-back: each odd rank below 2*rem sends the result to its extra, which receives it only
     * after its own send completed, so its buffer is never written while being read.
     */
    @Override
    void reduce(
        final CollectiveContext ctx, final ByteBuffer src, final int srcOffset, final ByteBuffer dst, final int dstOffset,
        final int count, final DataType type, final ReduceOp op)
    {
        final int n = ctx.size();
        final int rank = ctx.rank();
        final int bytes = Math.multiplyExact(count, type.size());
        if (ExtraRanks.sitOut(ctx, src, srcOffset, dst, dstOffset, bytes))
        {
            return;
        }
        ByteBuffer local = src;
        int localOffset = srcOffset;
        if (ExtraRanks.foldIn(ctx, src, srcOffset, dst, dstOffset, count, type, op))
        {
            local = dst;
            localOffset = dstOffset;
        }
        final ByteBuffer scratch = ctx.scratch(0, bytes);

        final int steps = steps(n);
        for (int s = 0; s < steps; s++)
        {
            final int partner = partner(rank, s, n);
            final long sendTicket = Messages.send(ctx, partner, local, localOffset, 0, bytes);
            final long recvTicket = Messages.recv(ctx, partner, scratch, 0, 0, bytes);
            ctx.p2p().await(recvTicket);
            ctx.p2p().await(sendTicket);
            if (partner < rank)
            {
                Messages.reduceInto(ctx, type, op, dst, dstOffset, scratch, 0, local, localOffset, count);
            }
            else
            {
                Messages.reduceInto(ctx, type, op, dst, dstOffset, local, localOffset, scratch, 0, count);
            }
            local = dst;
            localOffset = dstOffset;
        }

        ExtraRanks.sendBack(ctx, dst, dstOffset, bytes);
    }
}
