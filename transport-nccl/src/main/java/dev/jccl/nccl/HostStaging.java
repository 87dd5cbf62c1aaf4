package dev.jccl.nccl;

import dev.jccl.MemoryKind;
import dev.jccl.core.BufferRef;
import org.agrona.BufferUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;

import java.nio.ByteBuffer;

/**
 * Copies between the host memory behind a {@link BufferRef} (Java array, heap or direct
 * ByteBuffer, Agrona buffer) and an absolute address (pinned staging memory). Heap memory can move
 * under the garbage collector, so CUDA never sees it: it is copied into pinned memory first.
 */
final class HostStaging
{
    private HostStaging()
    {
    }

    /** Copies {@code bytes} from {@code ref}'s region, {@code fromByte} bytes in, to {@code address}. */
    static void copyIn(final BufferRef ref, final long fromByte, final long address, final long bytes)
    {
        if (bytes > 0)
        {
            UnsafeApi.copyMemory(base(ref), offset(ref) + fromByte, null, address, bytes);
        }
    }

    /** Copies {@code bytes} from {@code address} into {@code ref}'s region, {@code toByte} bytes in. */
    static void copyOut(final long address, final BufferRef ref, final long toByte, final long bytes)
    {
        if (bytes > 0)
        {
            UnsafeApi.copyMemory(null, address, base(ref), offset(ref) + toByte, bytes);
        }
    }

    private static Object base(final BufferRef ref)
    {
        final Object memory = ref.memory();
        if (ref.kind() == MemoryKind.HEAP_ARRAY)
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

    private static long offset(final BufferRef ref)
    {
        final Object memory = ref.memory();
        if (ref.kind() == MemoryKind.HEAP_ARRAY)
        {
            return UnsafeApi.arrayBaseOffset(memory.getClass()) + ref.byteOffset();
        }
        if (memory instanceof ByteBuffer)
        {
            final ByteBuffer buffer = (ByteBuffer)memory;
            return buffer.isDirect()
                ? BufferUtil.address(buffer) + ref.byteOffset()
                : UnsafeApi.arrayBaseOffset(byte[].class) + buffer.arrayOffset() + ref.byteOffset();
        }
        return ((MutableDirectBuffer)memory).addressOffset() + ref.byteOffset();
    }
}
