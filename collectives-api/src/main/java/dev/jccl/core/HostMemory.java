package dev.jccl.core;

import dev.jccl.MemoryKind;
import org.agrona.BufferUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;

import java.nio.ByteBuffer;

/**
 * Raw access to the bytes behind a {@link BufferRef}: a direct buffer the algorithms can use in
 * place, or copies to and from pooled direct memory for heap memory (sockets need direct memory
 * anyway, so this is the one copy NIO would have made).
 */
final class HostMemory
{
    private HostMemory()
    {
    }

    /**
     * The direct ByteBuffer over {@code ref}'s memory when it is usable in place, else null.
     * {@link #directOffset} gives the byte offset within it.
     */
    static ByteBuffer directBuffer(final BufferRef ref)
    {
        if (ref.kind != MemoryKind.OFF_HEAP)
        {
            return null;
        }
        if (ref.memory instanceof ByteBuffer)
        {
            return (ByteBuffer)ref.memory;
        }
        final MutableDirectBuffer buffer = (MutableDirectBuffer)ref.memory;
        final ByteBuffer byteBuffer = buffer.byteBuffer();
        return byteBuffer != null && byteBuffer.isDirect() ? byteBuffer : null;
    }

    static long directOffset(final BufferRef ref)
    {
        if (ref.memory instanceof ByteBuffer)
        {
            return ref.byteOffset;
        }
        return ((MutableDirectBuffer)ref.memory).wrapAdjustment() + ref.byteOffset;
    }

    /** Copies {@code bytes} from the start of {@code ref}'s region to {@code dst} at {@code dstOffset}. */
    static void copyIn(final BufferRef ref, final long fromByte, final ByteBuffer dst, final int dstOffset, final long bytes)
    {
        if (bytes == 0)
        {
            return;
        }
        final long dstAddress = BufferUtil.address(dst) + dstOffset;
        UnsafeApi.copyMemory(base(ref), address(ref) + fromByte, null, dstAddress, bytes);
    }

    /** Copies {@code bytes} from {@code src} at {@code srcOffset} into {@code ref}'s region at {@code toByte}. */
    static void copyOut(final ByteBuffer src, final int srcOffset, final BufferRef ref, final long toByte, final long bytes)
    {
        if (bytes == 0)
        {
            return;
        }
        final long srcAddress = BufferUtil.address(src) + srcOffset;
        UnsafeApi.copyMemory(null, srcAddress, base(ref), address(ref) + toByte, bytes);
    }

    /** Unsafe base object (null for off-heap). */
    private static Object base(final BufferRef ref)
    {
        final Object memory = ref.memory;
        if (ref.kind == MemoryKind.HEAP_ARRAY)
        {
            return memory;
        }
        if (memory instanceof ByteBuffer)
        {
            final ByteBuffer buffer = (ByteBuffer)memory;
            return buffer.isDirect() ? null : buffer.array();
        }
        return ((MutableDirectBuffer)memory).byteArray();
    }

    /** Unsafe offset (or absolute address for off-heap) of the region's first byte. */
    private static long address(final BufferRef ref)
    {
        final Object memory = ref.memory;
        if (ref.kind == MemoryKind.HEAP_ARRAY)
        {
            return UnsafeApi.arrayBaseOffset(memory.getClass()) + ref.byteOffset;
        }
        if (memory instanceof ByteBuffer)
        {
            final ByteBuffer buffer = (ByteBuffer)memory;
            return buffer.isDirect()
                ? BufferUtil.address(buffer) + ref.byteOffset
                : UnsafeApi.arrayBaseOffset(byte[].class) + buffer.arrayOffset() + ref.byteOffset;
        }
        final MutableDirectBuffer buffer = (MutableDirectBuffer)memory;
        return buffer.addressOffset() + ref.byteOffset;
    }
}
