package dev.jccl.algo;

import java.nio.ByteBuffer;

/**
 * In-place allgather: block r ({@code blockLength} bytes at {@code offset + r * blockLength}) is
 * filled on rank r before the call and on every rank after it.
 */
public interface AllGatherAlgorithm extends Algorithm
{
    void allGather(CollectiveContext ctx, ByteBuffer buffer, int offset, int blockLength);
}
