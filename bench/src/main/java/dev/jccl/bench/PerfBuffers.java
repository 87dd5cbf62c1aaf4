package dev.jccl.bench;

import dev.jccl.CommBuffer;
import dev.jccl.DataType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One rank's send or receive memory, allocated once for the largest size: a direct ByteBuffer (the
 * default, as nccl-tests uses device memory) or a heap byte[]; or, on a device transport, device
 * memory ({@link #onDevice}) with a direct host buffer of the same size beside it, through which
 * the inputs are written ({@link #toDevice}) and the outputs read back ({@link #toHost}).
 */
public final class PerfBuffers implements AutoCloseable
{
    private final boolean heap;
    private final byte[] array;
    private final ByteBuffer view;
    private final DeviceMemory device;
    private long deviceAddress;

    public PerfBuffers(final String memory, final long capacityBytes)
    {
        this(memory, capacityBytes, null);
    }

    /** {@code capacityBytes} of device memory, with a direct host buffer of the same size to fill and check it through. */
    public static PerfBuffers onDevice(final DeviceMemory device, final long capacityBytes)
    {
        return new PerfBuffers("direct", capacityBytes, java.util.Objects.requireNonNull(device, "device"));
    }

    private PerfBuffers(final String memory, final long capacityBytes, final DeviceMemory device)
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
        this.device = device;
        if (device != null)
        {
            deviceAddress = device.allocate(capacity);
        }
    }

    /** Whether the collective runs on device memory (the view is then only the host side of it). */
    public boolean isDevice()
    {
        return device != null;
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
        if (device != null)
        {
            return CommBuffer.device(deviceAddress, count, type, device.device());
        }
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

    /** Device memory: copies the first {@code bytes} bytes of the view to the device. Host memory: nothing to do. */
    public void toDevice(final long bytes)
    {
        if (device != null)
        {
            device.copyToDevice(deviceAddress, view, Math.min(bytes, view.capacity()));
        }
    }

    /** Device memory: copies the first {@code bytes} bytes from the device into the view. Host memory: nothing to do. */
    public void toHost(final long bytes)
    {
        if (device != null)
        {
            device.copyToHost(view, deviceAddress, Math.min(bytes, view.capacity()));
        }
    }

    /** Frees the device memory (host memory is left to the garbage collector). */
    @Override
    public void close()
    {
        if (device != null && deviceAddress != 0)
        {
            final long address = deviceAddress;
            deviceAddress = 0;
            device.free(address);
        }
    }
}
