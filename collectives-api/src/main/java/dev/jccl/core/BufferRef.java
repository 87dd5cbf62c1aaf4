package dev.jccl.core;

import dev.jccl.CommBuffer;
import dev.jccl.DataType;
import dev.jccl.MemoryKind;

/**
 * A reusable, mutable description of one call's buffer. The communicator owns two and points
 * them at the caller's arrays or {@link CommBuffer}s, so array overloads allocate nothing.
 */
public final class BufferRef
{
    MemoryKind kind;
    Object memory;
    long byteOffset;
    long count;
    DataType type;

    public BufferRef set(final CommBuffer buffer)
    {
        if (buffer == null)
        {
            throw new IllegalArgumentException("buffer is null");
        }
        kind = buffer.kind();
        memory = buffer.memory();
        byteOffset = buffer.byteOffset();
        count = buffer.count();
        type = buffer.type();
        return this;
    }

    public BufferRef setArray(final Object array, final int length, final DataType type)
    {
        if (array == null)
        {
            throw new IllegalArgumentException("array is null");
        }
        kind = MemoryKind.HEAP_ARRAY;
        memory = array;
        byteOffset = 0;
        count = length;
        this.type = type;
        return this;
    }

    public MemoryKind kind()
    {
        return kind;
    }

    public Object memory()
    {
        return memory;
    }

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

    public long byteLength()
    {
        return count * type.size();
    }

    /** Same memory at the same place: the in-place form. */
    public boolean sameRegion(final BufferRef other)
    {
        return memory == other.memory && byteOffset == other.byteOffset;
    }

    void clear()
    {
        memory = null;
    }
}
