package dev.jccl.algo;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;

import java.nio.ByteBuffer;

/**
 * In-place allreduce of {@code count} elements at {@code buffer[offset..]} (a direct buffer).
 * {@link ReduceOp#AVG} arrives here as SUM: the caller divides afterwards.
 */
public interface AllReduceAlgorithm extends Algorithm
{
    void allReduce(CollectiveContext ctx, ByteBuffer buffer, int offset, int count, DataType type, ReduceOp op);
}
