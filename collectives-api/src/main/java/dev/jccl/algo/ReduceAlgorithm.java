package dev.jccl.algo;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;

import java.nio.ByteBuffer;

/**
 * Reduce of {@code count} elements at {@code buffer[offset..]} to {@code root}, in place on root.
 * Non-root ranks' buffers may be overwritten (the caller passes a copy). AVG arrives as SUM.
 */
public interface ReduceAlgorithm extends Algorithm
{
    void reduce(CollectiveContext ctx, ByteBuffer buffer, int offset, int count, DataType type, ReduceOp op, int root);
}
