package dev.jccl.bench;

import dev.jccl.CommBuffer;
import dev.jccl.DataType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One rank's send or receive memory, allocated once for the largest size: a direct ByteBuffer (the
 * default, as nccl-tests uses device memory) or a heap byte[].
 */
public final class PerfBuffers
{
    private final boolean heap;
    private final byte[] array;
    private final ByteBuffer view;

    public PerfBuffers(final String memory, final long capacityBytes)
    {
        if (capacityBytes > Integer.MAX_VALUE - 8)
        {
            throw new IllegalArgumentException("buffer of " + capacityBytes + " bytes is above the 2 GiB a ByteBuffer holds");
        }
        final int capacity = (int)Math.max(8, capacityBytes);
        this.heap = "heap".equals(memory);
        if (heap)
        {
            array = new byte[capacity];
            view = ByteBuffer.wrap(array).order(ByteOrder.nativeOrder());
        }
        else
        {
            array = null;
            view = ByteBuffer.allocateDirect(capacity).order(ByteOrder.nativeOrder());
        }
    }

    /** Absolute-index view for writing and checking elements. */
    public ByteBuffer view()
    {
        return view;
    }

    public long capacity()
    {
        return view.capacity();
    }

    /** A CommBuffer over the first {@code count} elements; made once per size, reused by every iteration. */
    public CommBuffer commBuffer(final DataType type, final long count)
    {
        if (heap)
        {
            return CommBuffer.of(array, 0, Math.toIntExact(count), type);
        }
        final ByteBuffer dup = view.duplicate().order(ByteOrder.nativeOrder());
        dup.clear();
        return CommBuffer.of(dup, type, count);
    }

    /** Fills the first {@code bytes} bytes with 0xFF, a pattern the check data never produces. */
    public void poison(final long bytes)
    {
        final int n = (int)Math.min(bytes, view.capacity());
        int i = 0;
        for (; i + 8 <= n; i += 8)
        {
            view.putLong(i, -1L);
        }
        for (; i < n; i++)
        {
            view.put(i, (byte)-1);
        }
    }
}
