package dev.jccl.bench;

import dev.jccl.CollectiveException;
import org.bytedeco.cuda.cudart.cudaDeviceProp;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.Pointer;

import java.nio.ByteBuffer;

/**
 * {@link DeviceMemory} through the CUDA runtime ({@code cudaMalloc}, {@code cudaMemcpy},
 * {@code cudaFree}) on one device. Made only by {@link JcclCommFactory} for an NCCL communicator,
 * that is after {@code NcclProbe} found the driver, a device and NCCL, so the CUDA bindings load.
 * Every call first selects the device on the calling thread (ranks may be threads of one JVM, each
 * on its own GPU).
 */
final class CudaDeviceMemory implements DeviceMemory
{
    private final int device;
    private final String name;

    CudaDeviceMemory(final int device)
    {
        this.device = device;
        select();
        String n = "";
        try (cudaDeviceProp prop = new cudaDeviceProp())
        {
            if (cudart.cudaGetDeviceProperties(prop, device) == cudart.cudaSuccess)
            {
                n = prop.name().getString().trim();
            }
        }
        catch (final RuntimeException ex)
        {
            // the name is decoration only
        }
        this.name = n;
    }

    @Override
    public int device()
    {
        return device;
    }

    @Override
    public String label()
    {
        return "cuda:" + device;
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public long allocate(final long bytes)
    {
        select();
        final Pointer p = new Pointer();
        check(cudart.cudaMalloc(p, Math.max(1, bytes)), "cudaMalloc(" + bytes + " bytes) on device " + device);
        return p.address();
    }

    @Override
    public void free(final long address)
    {
        if (address != 0)
        {
            select();
            check(cudart.cudaFree(new RawPointer(address)), "cudaFree");
        }
    }

    @Override
    public void copyToDevice(final long address, final ByteBuffer host, final long bytes)
    {
        if (bytes <= 0)
        {
            return;
        }
        select();
        check(cudart.cudaMemcpy(new RawPointer(address), hostPointer(host, bytes), bytes, cudart.cudaMemcpyHostToDevice),
            "cudaMemcpy host to device (" + bytes + " bytes)");
        // From pageable memory cudaMemcpy may return before the DMA lands, and NCCL's stream does not
        // wait on the legacy default stream: finish the copy before the collective reads it.
        check(cudart.cudaDeviceSynchronize(), "cudaDeviceSynchronize");
    }

    @Override
    public void copyToHost(final ByteBuffer host, final long address, final long bytes)
    {
        if (bytes <= 0)
        {
            return;
        }
        select();
        check(cudart.cudaMemcpy(hostPointer(host, bytes), new RawPointer(address), bytes, cudart.cudaMemcpyDeviceToHost),
            "cudaMemcpy device to host (" + bytes + " bytes)");
    }

    private void select()
    {
        check(cudart.cudaSetDevice(device), "cudaSetDevice(" + device + ")");
    }

    private static Pointer hostPointer(final ByteBuffer host, final long bytes)
    {
        if (!host.isDirect())
        {
            throw new IllegalArgumentException("device copies need a direct host buffer");
        }
        if (bytes > host.capacity())
        {
            throw new IllegalArgumentException(bytes + " bytes do not fit a host buffer of " + host.capacity());
        }
        final ByteBuffer whole = host.duplicate();
        whole.clear();
        // position 0, so the pointer is the buffer's base address
        return new RawPointer(new Pointer(whole).address());
    }

    private static void check(final int err, final String call)
    {
        if (err != cudart.cudaSuccess)
        {
            String text;
            try
            {
                text = cudart.cudaGetErrorString(err).getString();
            }
            catch (final RuntimeException ex)
            {
                text = "error";
            }
            throw new CollectiveException(call + " failed: " + text + " (cudaError " + err + ")");
        }
    }

    /** A pointer over a raw address, nothing owned or freed through it. */
    private static final class RawPointer extends Pointer
    {
        RawPointer(final long address)
        {
            super((Pointer)null);
            this.address = address;
        }
    }
}
