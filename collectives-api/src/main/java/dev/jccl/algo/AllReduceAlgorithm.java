package dev.jccl.algo;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;
import org.agrona.BufferUtil;
import org.agrona.UnsafeApi;

import java.nio.ByteBuffer;

/**
 * In-place allreduce of {@code count} elements at {@code buffer[offset..]} (a direct buffer).
 * {@link ReduceOp#AVG} arrives here as SUM: the caller divides afterwards.
 */
public interface AllReduceAlgorithm extends Algorithm
{
    void allReduce(CollectiveContext ctx, ByteBuffer buffer, int offset, int count, DataType type, ReduceOp op);

    /**
     * Out-of-place allreduce: {@code count} elements from {@code src[srcOffset..]} reduced into
     * {@code dst[dstOffset..]} (direct buffers, disjoint); {@code src} is left as it was. By default
     * a copy into {@code dst} and the in-place form; an algorithm that can read its contribution
     * straight from {@code src} overrides this and saves that pass over the data.
     */
    default void allReduce(
        final CollectiveContext ctx, final ByteBuffer src, final int srcOffset, final ByteBuffer dst, final int dstOffset,
        final int count, final DataType type, final ReduceOp op)
    {
        UnsafeApi.copyMemory(BufferUtil.address(src) + srcOffset, BufferUtil.address(dst) + dstOffset, (long)count * type.size());
        allReduce(ctx, dst, dstOffset, count, type, op);
    }
}
