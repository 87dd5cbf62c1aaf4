package dev.jccl;

import org.agrona.MutableDirectBuffer;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Immutable description of the memory a collective reads or writes: where it is, its element
 * type and its element count. Create one per buffer and reuse it every step; the array overloads
 * on {@link Communicator} need none.
 *
 * <p>Arrays of a type's natural Java form are checked: a {@code float[]} is FLOAT32 only, an
 * {@code int[]} INT32 or UINT32, a {@code long[]} INT64 or UINT64, a {@code short[]} FLOAT16 or
 * BFLOAT16 (raw bits), a {@code double[]} FLOAT64. A {@code byte[]} or a ByteBuffer holds any
 * type as raw bytes in native byte order.
 */
public final class CommBuffer
{
    private final MemoryKind kind;
    private final Object memory;
    private final long byteOffset;
    private final long count;
    private final DataType type;
    private final int device;

    private CommBuffer(
        final MemoryKind kind, final Object memory, final long byteOffset, final long count, final DataType type, final int device)
    {
        this.kind = kind;
        this.memory = memory;
        this.byteOffset = byteOffset;
        this.count = count;
        this.type = Objects.requireNonNull(type, "type");
        this.device = device;
    }

    public static CommBuffer of(final float[] array)
    {
        return of(array, 0, array.length);
    }

    public static CommBuffer of(final float[] array, final int offset, final int count)
    {
        return array(array, array.length, offset, count, DataType.FLOAT32);
    }

    public static CommBuffer of(final double[] array)
    {
        return of(array, 0, array.length);
    }

    public static CommBuffer of(final double[] array, final int offset, final int count)
    {
        return array(array, array.length, offset, count, DataType.FLOAT64);
    }

    public static CommBuffer of(final int[] array)
    {
        return of(array, 0, array.length, DataType.INT32);
    }

    public static CommBuffer of(final int[] array, final int offset, final int count, final DataType type)
    {
        requireType(type, "int[]", DataType.INT32, DataType.UINT32);
        return array(array, array.length, offset, count, type);
    }

    public static CommBuffer of(final long[] array)
    {
        return of(array, 0, array.length, DataType.INT64);
    }

    public static CommBuffer of(final long[] array, final int offset, final int count, final DataType type)
    {
        requireType(type, "long[]", DataType.INT64, DataType.UINT64);
        return array(array, array.length, offset, count, type);
    }

    /** FLOAT16 or BFLOAT16 values as raw 16-bit patterns. */
    public static CommBuffer of(final short[] array, final DataType type)
    {
        return of(array, 0, array.length, type);
    }

    public static CommBuffer of(final short[] array, final int offset, final int count, final DataType type)
    {
        requireType(type, "short[]", DataType.FLOAT16, DataType.BFLOAT16);
        return array(array, array.length, offset, count, type);
    }

    public static CommBuffer of(final byte[] array)
    {
        return of(array, 0, array.length, DataType.INT8);
    }

    /** Raw bytes holding {@code count} elements of {@code type} from {@code byteOffset}. */
    public static CommBuffer of(final byte[] array, final int byteOffset, final int count, final DataType type)
    {
        Objects.requireNonNull(array, "array");
        checkRange("byte[]", array.length, byteOffset, count, type.size());
        return new CommBuffer(MemoryKind.HEAP_ARRAY, array, byteOffset, count, type, -1);
    }

    /** {@code count} elements of {@code type} from the buffer's position (native byte order). */
    public static CommBuffer of(final ByteBuffer buffer, final DataType type, final long count)
    {
        Objects.requireNonNull(buffer, "buffer");
        checkRange("ByteBuffer", buffer.capacity(), buffer.position(), count, type.size());
        final MemoryKind kind = buffer.isDirect() ? MemoryKind.OFF_HEAP : MemoryKind.HEAP_BYTE_BUFFER;
        if (buffer.isReadOnly())
        {
            throw new IllegalArgumentException("ByteBuffer is read-only: collectives write into their buffers");
        }
        return new CommBuffer(kind, buffer, buffer.position(), count, type, -1);
    }

    /** {@code count} elements of {@code type} from {@code byteOffset} of an Agrona buffer. */
    public static CommBuffer of(final MutableDirectBuffer buffer, final int byteOffset, final DataType type, final long count)
    {
        Objects.requireNonNull(buffer, "buffer");
        checkRange("MutableDirectBuffer", buffer.capacity(), byteOffset, count, type.size());
        final MemoryKind kind = buffer.byteArray() != null ? MemoryKind.HEAP_BYTE_BUFFER : MemoryKind.OFF_HEAP;
        return new CommBuffer(kind, buffer, byteOffset, count, type, -1);
    }

    /**
     * CUDA device memory: {@code count} elements of {@code type} at {@code pointer} on {@code device}.
     * Only the NCCL transport accepts it; host transports reject it before any I/O.
     */
    public static CommBuffer device(final long pointer, final long count, final DataType type, final int device)
    {
        if (pointer == 0 && count > 0)
        {
            throw new IllegalArgumentException("device pointer is null");
        }
        if (count < 0)
        {
            throw new IllegalArgumentException("count < 0: " + count);
        }
        if (device < 0)
        {
            throw new IllegalArgumentException("device ordinal < 0: " + device);
        }
        return new CommBuffer(MemoryKind.DEVICE, pointer, 0, count, type, device);
    }

    private static CommBuffer array(final Object array, final int length, final int offset, final int count, final DataType type)
    {
        if (offset < 0 || count < 0 || (long)offset + count > length)
        {
            throw new IllegalArgumentException(
                "array range out of bounds: offset " + offset + " count " + count + " length " + length);
        }
        return new CommBuffer(MemoryKind.HEAP_ARRAY, array, (long)offset * type.size(), count, type, -1);
    }

    private static void requireType(final DataType type, final String form, final DataType a, final DataType b)
    {
        if (type != a && type != b)
        {
            throw new IllegalArgumentException("type " + type + " does not match " + form + " (use " + a + " or " + b + ")");
        }
    }

    private static void checkRange(final String form, final long capacityBytes, final long byteOffset, final long count, final int size)
    {
        if (count < 0)
        {
            throw new IllegalArgumentException("count < 0: " + count);
        }
        if (byteOffset < 0 || byteOffset + count * size > capacityBytes)
        {
            throw new IllegalArgumentException(form + " too small: " + count + " elements of " + size +
                " bytes at byte offset " + byteOffset + " need " + (byteOffset + count * size) +
                " bytes, capacity is " + capacityBytes);
        }
    }

    public MemoryKind kind()
    {
        return kind;
    }

    /** The array, ByteBuffer, MutableDirectBuffer, or (DEVICE) the Long pointer. */
    public Object memory()
    {
        return memory;
    }

    /** Byte offset of element 0 within {@link #memory()} (arrays: from the array's first element). */
    public long byteOffset()
    {
        return byteOffset;
    }

    public long count()
    {
        return count;
    }

    public DataType type()
    {
        return type;
    }

    /** CUDA device ordinal for DEVICE buffers, -1 otherwise. */
    public int device()
    {
        return device;
    }

    public long byteLength()
    {
        return count * type.size();
    }

    @Override
    public String toString()
    {
        return "CommBuffer{" + kind + ", " + type + " x " + count + (device >= 0 ? ", device " + device : "") + "}";
    }
}
