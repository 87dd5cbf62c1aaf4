package dev.jccl.nccl;

import dev.jccl.MemoryKind;
import dev.jccl.core.BufferRef;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.Pointer;

import static java.lang.System.Logger.Level.DEBUG;

/**
 * Where host data meets the GPU: pinned host memory ({@code cudaMallocHost}) and device scratch
 * ({@code cudaMalloc}) of the same size, mirrored byte for byte. A call lays out one aligned region
 * per host-side buffer (send first, then recv); a host buffer is copied into pinned memory, then to
 * scratch on the stream, and its result comes back the same way. Both grow (powers of two, at
 * least 1 MiB) to the largest call and are then reused, so steady-state calls allocate nothing.
 * Device buffers are used where they are and take no region.
 */
final class StagingArea
{
    private static final System.Logger LOG = System.getLogger(NcclCommunicator.class.getName());
    private static final long MIN_STAGING_BYTES = 1 << 20;
    private static final long ALIGN = 256;

    private final int rank;
    private final CUstream_st stream;
    private final DevicePointer copyDst = new DevicePointer();
    private final DevicePointer copySrc = new DevicePointer();
    private Pointer pinned;
    private Pointer scratch;
    private long scratchBytes;

    StagingArea(final int rank, final CUstream_st stream)
    {
        this.rank = rank;
        this.stream = stream;
    }

    /** Whether {@code ref} is host memory (so it needs a region); false for null. */
    static boolean host(final BufferRef ref)
    {
        return ref != null && ref.kind() != MemoryKind.DEVICE;
    }

    /** Bytes of staging a call needs: a region for each host side. */
    static long stagedBytes(final BufferRef first, final long firstBytes, final BufferRef second, final long secondBytes)
    {
        return (host(first) ? align(firstBytes) : 0) + (host(second) ? align(secondBytes) : 0);
    }

    /** Offset of the second region: after the first side's region when that side is staged. */
    static long regionAfter(final BufferRef first, final long firstBytes)
    {
        return host(first) ? align(firstBytes) : 0;
    }

    private static long align(final long bytes)
    {
        return (bytes + ALIGN - 1) & -ALIGN;
    }

    /** Grows pinned host memory and device scratch when a call needs more; the stream must be idle. */
    void ensure(final long bytes)
    {
        if (bytes <= scratchBytes)
        {
            return;
        }
        final long want = Math.max(MIN_STAGING_BYTES, Long.highestOneBit(bytes - 1) << 1);
        free();
        final Pointer newPinned = new Pointer();
        Cuda.check(cudart.cudaMallocHost(newPinned, want), "cudaMallocHost(" + want + " bytes)");
        pinned = newPinned;
        final Pointer newScratch = new Pointer();
        Cuda.check(cudart.cudaMalloc(newScratch, want), "cudaMalloc(" + want + " bytes)");
        scratch = newScratch;
        scratchBytes = want;
        LOG.log(DEBUG, "rank {0}: staging grown to {1} bytes", rank, want);
    }

    /**
     * The device address of {@code ref}'s data: its own pointer for device memory, else device
     * scratch at {@code regionOffset}, filled from the host (through pinned memory) when {@code copyIn}.
     */
    long stageIn(final BufferRef ref, final long regionOffset, final long fromByte, final long bytes, final boolean copyIn)
    {
        if (ref.kind() == MemoryKind.DEVICE)
        {
            return (Long)ref.memory() + ref.byteOffset();
        }
        final long deviceAddr = scratch.address() + regionOffset;
        if (copyIn)
        {
            final long hostAddr = pinned.address() + regionOffset;
            HostStaging.copyIn(ref, fromByte, hostAddr, bytes);
            memcpyAsync(deviceAddr, hostAddr, bytes, cudart.cudaMemcpyHostToDevice);
        }
        return deviceAddr;
    }

    /**
     * Copies bytes {@code [fromByte, fromByte + bytes)} of host buffer {@code ref} into the region
     * that starts at scratch address {@code regionAddr}, at the same offset (a part of a region,
     * e.g. this rank's block of an in-place allgather).
     */
    void stageInRange(final BufferRef ref, final long regionAddr, final long fromByte, final long bytes)
    {
        HostStaging.copyIn(ref, fromByte, pinnedAddress(regionAddr) + fromByte, bytes);
        memcpyAsync(regionAddr + fromByte, pinnedAddress(regionAddr) + fromByte, bytes, cudart.cudaMemcpyHostToDevice);
    }

    /** Queues the device-to-host copy of a staged result behind the collective. */
    void stageOut(final long deviceAddr, final BufferRef ref, final long bytes)
    {
        if (host(ref))
        {
            memcpyAsync(pinnedAddress(deviceAddr), deviceAddr, bytes, cudart.cudaMemcpyDeviceToHost);
        }
    }

    /** After completion: pinned result into the caller's host memory, {@code toByte} bytes in. */
    void copyOut(final long deviceAddr, final BufferRef ref, final long toByte, final long bytes)
    {
        if (host(ref))
        {
            HostStaging.copyOut(pinnedAddress(deviceAddr), ref, toByte, bytes);
        }
    }

    /** Pinned address mirroring a device scratch address. */
    private long pinnedAddress(final long scratchAddr)
    {
        return pinned.address() + (scratchAddr - scratch.address());
    }

    private void memcpyAsync(final long dst, final long src, final long bytes, final int kind)
    {
        if (bytes > 0)
        {
            Cuda.check(cudart.cudaMemcpyAsync(copyDst.at(dst), copySrc.at(src), bytes, kind, stream), "cudaMemcpyAsync");
        }
    }

    /** Frees both; the stream must be idle. */
    void free()
    {
        if (scratch != null)
        {
            cudart.cudaFree(scratch);
            scratch = null;
            scratchBytes = 0;
        }
        if (pinned != null)
        {
            cudart.cudaFreeHost(pinned);
            pinned = null;
        }
    }
}
