package dev.jccl.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Device memory that lives in the test JVM: "device addresses" name ByteBuffers that only copies
 * (and {@link FakeCluster}'s collectives on device buffers) reach, so a driver that skips a copy in
 * or out checks the wrong data. {@link #dropUploads} / {@link #dropDownloads} make it lose copies.
 */
final class FakeDevice implements DeviceMemory
{
    private static final Map<Long, ByteBuffer> MEMORY = new ConcurrentHashMap<>();
    private static final AtomicLong NEXT = new AtomicLong(0x7f00_0000_0000L);

    final int ordinal;
    final AtomicInteger allocations = new AtomicInteger();
    final AtomicInteger frees = new AtomicInteger();
    final AtomicInteger uploads = new AtomicInteger();
    final AtomicInteger downloads = new AtomicInteger();
    volatile boolean dropUploads;
    volatile boolean dropDownloads;

    FakeDevice(final int ordinal)
    {
        this.ordinal = ordinal;
    }

    static ByteBuffer memory(final long address)
    {
        final ByteBuffer b = MEMORY.get(address);
        if (b == null)
        {
            throw new IllegalArgumentException("fake device: no allocation at 0x" + Long.toHexString(address));
        }
        return b;
    }

    @Override
    public int device()
    {
        return ordinal;
    }

    @Override
    public String label()
    {
        return "cuda:" + ordinal;
    }

    @Override
    public String name()
    {
        return "Fake GPU";
    }

    @Override
    public long allocate(final long bytes)
    {
        final long address = NEXT.getAndAdd(1L << 32);
        final ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(bytes)).order(ByteOrder.nativeOrder());
        // uninitialised device memory: anything but the check pattern
        for (int i = 0; i < b.capacity(); i++)
        {
            b.put(i, (byte)0x5A);
        }
        MEMORY.put(address, b);
        allocations.incrementAndGet();
        return address;
    }

    @Override
    public void free(final long address)
    {
        if (MEMORY.remove(address) == null)
        {
            throw new IllegalStateException("fake device: double free of 0x" + Long.toHexString(address));
        }
        frees.incrementAndGet();
    }

    @Override
    public void copyToDevice(final long address, final ByteBuffer host, final long bytes)
    {
        uploads.incrementAndGet();
        if (!host.isDirect())
        {
            throw new IllegalArgumentException("device copies need a direct host buffer");
        }
        if (!dropUploads)
        {
            copy(host, memory(address), bytes);
        }
    }

    @Override
    public void copyToHost(final ByteBuffer host, final long address, final long bytes)
    {
        downloads.incrementAndGet();
        if (!dropDownloads)
        {
            copy(memory(address), host, bytes);
        }
    }

    private static void copy(final ByteBuffer from, final ByteBuffer to, final long bytes)
    {
        for (int i = 0; i < bytes; i++)
        {
            to.put(i, from.get(i));
        }
    }
}
