package dev.jccl.kernel;

import dev.jccl.DataType;
import org.agrona.BufferUtil;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** A direct buffer with its elements starting {@code offset} bytes in, so tests can pick unaligned addresses. */
final class OffHeap
{
    final DataType type;
    final int count;
    final long address;
    private final ByteBuffer buffer;
    private final int offset;

    OffHeap(final DataType type, final int count, final int offset)
    {
        this.type = type;
        this.count = count;
        this.offset = offset;
        this.buffer = ByteBuffer.allocateDirect(count * type.size() + offset + 16).order(ByteOrder.nativeOrder());
        this.address = BufferUtil.address(buffer) + offset;
    }

    static OffHeap of(final DataType type, final long[] bits, final int offset)
    {
        final OffHeap memory = new OffHeap(type, bits.length, offset);
        memory.write(bits);
        return memory;
    }

    void write(final long[] bits)
    {
        for (int i = 0; i < bits.length; i++)
        {
            set(i, bits[i]);
        }
    }

    void set(final int i, final long bits)
    {
        final int at = offset + i * type.size();
        switch (type.size())
        {
            case 1:
                buffer.put(at, (byte)bits);
                break;
            case 2:
                buffer.putShort(at, (short)bits);
                break;
            case 4:
                buffer.putInt(at, (int)bits);
                break;
            default:
                buffer.putLong(at, bits);
                break;
        }
    }

    /** Element {@code i}'s bits, zero-extended. */
    long get(final int i)
    {
        final int at = offset + i * type.size();
        switch (type.size())
        {
            case 1:
                return buffer.get(at) & 0xffL;
            case 2:
                return buffer.getShort(at) & 0xffffL;
            case 4:
                return buffer.getInt(at) & 0xffffffffL;
            default:
                return buffer.getLong(at);
        }
    }

    long[] read()
    {
        final long[] bits = new long[count];
        for (int i = 0; i < count; i++)
        {
            bits[i] = get(i);
        }
        return bits;
    }

    /** The byte just past the last element, to check kernels write nothing beyond their range. */
    byte guardByte()
    {
        return buffer.get(offset + count * type.size());
    }
}
