package dev.jccl.algo;

import org.agrona.BufferUtil;
import org.agrona.UnsafeApi;

import java.nio.ByteBuffer;

/** Copies {@code length} bytes at {@code buffer[offset..]} from {@code root} to every rank. */
public interface BroadcastAlgorithm extends Algorithm
{
    void broadcast(CollectiveContext ctx, ByteBuffer buffer, int offset, int length, int root);

    /**
     * Out-of-place broadcast: the root sends {@code src[srcOffset..]} and leaves a copy of it in
     * {@code dst[dstOffset..]} (direct buffers, disjoint); every other rank receives into
     * {@code dst} and ignores {@code src}. By default the root sends first and copies after, so
     * the copy runs while its last bytes are still on their way; an algorithm that streams
     * segments overrides this to copy each segment while the next one drains.
     */
    default void broadcast(
        final CollectiveContext ctx, final ByteBuffer src, final int srcOffset, final ByteBuffer dst, final int dstOffset,
        final int length, final int root)
    {
        if (ctx.rank() != root)
        {
            broadcast(ctx, dst, dstOffset, length, root);
            return;
        }
        broadcast(ctx, src, srcOffset, length, root);
        UnsafeApi.copyMemory(BufferUtil.address(src) + srcOffset, BufferUtil.address(dst) + dstOffset, length);
    }
}
