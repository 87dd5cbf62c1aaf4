package dev.jccl.algo;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;

import java.nio.ByteBuffer;

/**
 * An allreduce that reads its contribution straight from the source, so one body serves in place
 * ({@code src} and {@code dst} the same memory) and out of place (no copy of the source into the
 * destination first). World size 1 and empty calls never reach {@link #reduce}: in place there is
 * nothing to do, out of place the source is copied.
 */
abstract class SourceReadingAllReduce implements AllReduceAlgorithm
{
    @Override
    public final void allReduce(
        final CollectiveContext ctx, final ByteBuffer buffer, final int offset, final int count,
        final DataType type, final ReduceOp op)
    {
        if (ctx.size() > 1 && count > 0)
        {
            reduce(ctx, buffer, offset, buffer, offset, count, type, op);
        }
    }

    @Override
    public final void allReduce(
        final CollectiveContext ctx, final ByteBuffer src, final int srcOffset, final ByteBuffer dst, final int dstOffset,
        final int count, final DataType type, final ReduceOp op)
    {
        if (ctx.size() == 1 || count == 0)
        {
            AllReduceAlgorithm.super.allReduce(ctx, src, srcOffset, dst, dstOffset, count, type, op);
            return;
        }
        reduce(ctx, src, srcOffset, dst, dstOffset, count, type, op);
    }

    /**
     * {@code dst[dstOffset..] = allreduce(src[srcOffset..])} over at least two ranks and one element;
     * {@code src} is only read, and may be {@code dst} at the same offset (in place).
     */
    abstract void reduce(
        CollectiveContext ctx, ByteBuffer src, int srcOffset, ByteBuffer dst, int dstOffset, int count, DataType type, ReduceOp op);
}
