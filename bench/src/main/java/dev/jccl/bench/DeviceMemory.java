package dev.jccl.bench;

import java.nio.ByteBuffer;

/**
 * One rank's accelerator memory for jccl-perf's buffers (nccl-tests allocates its buffers on the
 * GPU): allocation and copies to and from host memory, on the device the rank's communicator
 * runs on. {@link JcclCommFactory} hands out the CUDA one for NCCL communicators; nothing here
 * touches native code, so the host path never loads the CUDA bindings.
 */
public interface DeviceMemory
{
    /** The device ordinal (CUDA's), as the header's "device" column prints it. */
    int device();

    /** What the header's device line shows in brackets, e.g. "cuda:0". */
    String label();

    /** The device's name ("NVIDIA H200"), or "" when unknown. */
    String name();

    /** Allocates {@code bytes} bytes on the device; returns the device address. */
    long allocate(long bytes);

    /** Frees what {@link #allocate} returned. */
    void free(long address);

    /**
     * Copies the first {@code bytes} bytes of {@code host} (a direct buffer, from index 0) to
     * {@code address}; the copy is complete on the device when this returns.
     */
    void copyToDevice(long address, ByteBuffer host, long bytes);

    /** Copies {@code bytes} bytes from {@code address} into {@code host} from index 0; complete when this returns. */
    void copyToHost(ByteBuffer host, long address, long bytes);
}
