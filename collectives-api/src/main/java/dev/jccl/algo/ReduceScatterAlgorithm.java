package dev.jccl.algo;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;

import java.nio.ByteBuffer;

/**
 * In-place reduce-scatter over {@code size * blockCount} elements at {@code buffer[offset..]}:
 * afterwards block {@code rank} holds the reduction of every rank's block {@code rank}. The other
 * blocks may be overwritten. AVG arrives as SUM.
 */
public interface ReduceScatterAlgorithm extends Algorithm
{
    void reduceScatter(CollectiveContext ctx, ByteBuffer buffer, int offset, int blockCount, DataType type, ReduceOp op);
}
