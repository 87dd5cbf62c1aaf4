package dev.jccl.nccl;

import org.bytedeco.javacpp.Pointer;

/**
 * A reusable JavaCPP {@link Pointer} over a raw address (a CUDA device pointer from
 * {@code CommBuffer.device}, or an offset into scratch memory), so a call allocates no wrapper.
 * Nothing is freed through it.
 */
final class DevicePointer extends Pointer
{
    DevicePointer()
    {
        super((Pointer)null);
    }

    DevicePointer at(final long address)
    {
        this.address = address;
        this.position = 0;
        this.limit = 0;
        this.capacity = 0;
        return this;
    }
}
