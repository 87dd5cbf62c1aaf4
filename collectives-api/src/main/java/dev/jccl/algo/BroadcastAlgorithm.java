package dev.jccl.algo;

import java.nio.ByteBuffer;

/** Copies {@code length} bytes at {@code buffer[offset..]} from {@code root} to every rank. */
public interface BroadcastAlgorithm extends Algorithm
{
    void broadcast(CollectiveContext ctx, ByteBuffer buffer, int offset, int length, int root);
}
