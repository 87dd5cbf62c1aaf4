package dev.jccl.shm;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;
import dev.jccl.kernel.ReduceKernels;
import org.agrona.concurrent.UnsafeBuffer;

import static dev.jccl.shm.ShmLayoutDescriptor.*;

/**
 * One direction between two ranks: a single-producer single-consumer byte ring in the mapped file
 * (Aeron's and Agrona's ring-buffer idea reduced to a byte stream). The producer copies bytes in and
 * publishes {@code head} with a release store; the consumer copies bytes out and publishes
 * {@code tail} the same way. Each side caches the other's counter and re-reads it only when it
 * looks short of space or data, so a steady stream touches the shared counters rarely.
 *
 * <p>Counters only grow (64-bit byte totals), so full and empty never look alike.
 */
final class ShmChannel
{
    private final UnsafeBuffer file;
    /** Copies in and out: memcpy with the native kernels (a ring line was last read by the other core). */
    private final ReduceKernels copier;
    private final int headIndex;
    private final int tailIndex;
    private final long ringAddress;
    private final int ringIndex;
    private final int capacity;
    private final int mask;

    /** Producer side: next byte to write, and the tail last seen. */
    private long head;
    private long cachedTail;
    /** Consumer side: next byte to read, and the head last seen. */
    private long tail;
    private long cachedHead;

    ShmChannel(final UnsafeBuffer file, final int channelOffset, final int capacity, final ReduceKernels copier)
    {
        this.file = file;
        this.copier = copier;
        this.headIndex = channelOffset + HEAD_OFFSET;
        this.tailIndex = channelOffset + TAIL_OFFSET;
        this.ringIndex = channelOffset + CHANNEL_CONTROL;
        this.ringAddress = file.addressOffset() + ringIndex;
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.head = file.getLongVolatile(headIndex);
        this.tail = file.getLongVolatile(tailIndex);
        this.cachedTail = tail;
        this.cachedHead = head;
    }

    /** Index in the file buffer of ring position {@code position} (for header encode and decode). */
    int index(final long position)
    {
        return ringIndex + (int)(position & mask);
    }

    // ---- producer ----

    /** Bytes the producer may write now without overtaking the consumer. */
    long writable()
    {
        long free = capacity - (head - cachedTail);
        if (free < capacity / 4)
        {
            cachedTail = file.getLongVolatile(tailIndex);
            free = capacity - (head - cachedTail);
        }
        return free;
    }

    long head()
    {
        return head;
    }

    /** Copies {@code length} bytes from {@code srcAddress} at the write position (may wrap); not yet visible. */
    void copyIn(final long srcAddress, final int length)
    {
        final int at = (int)(head & mask);
        final int first = Math.min(length, capacity - at);
        copier.copy(ringAddress + at, srcAddress, first);
        if (first < length)
        {
            copier.copy(ringAddress, srcAddress + first, length - first);
        }
        head += length;
    }

    /** Reserves {@code length} bytes already written through {@link #index} (a header) or skipped (padding). */
    void advanceHead(final long length)
    {
        head += length;
    }

    /** Makes everything written so far visible to the consumer. */
    void publishHead()
    {
        file.putLongOrdered(headIndex, head);
    }

    // ---- consumer ----

    /** Bytes the consumer may read now. */
    long readable()
    {
        long available = cachedHead - tail;
        if (available <= 0)
        {
            cachedHead = file.getLongVolatile(headIndex);
            available = cachedHead - tail;
        }
        return available;
    }

    /** Re-reads the producer's head whatever is cached: for a consumer that wants more than it has. */
    long refreshReadable()
    {
        cachedHead = file.getLongVolatile(headIndex);
        return cachedHead - tail;
    }

    long tail()
    {
        return tail;
    }

    /** Copies {@code length} bytes at the read position into {@code dstAddress} (may wrap). */
    void copyOut(final long dstAddress, final int length)
    {
        final int at = (int)(tail & mask);
        final int first = Math.min(length, capacity - at);
        copier.copy(dstAddress, ringAddress + at, first);
        if (first < length)
        {
            copier.copy(dstAddress + first, ringAddress, length - first);
        }
        tail += length;
    }

    /**
     * Stores {@code op(local[i], ring[i])} into {@code dstAddress} for the {@code length} bytes at
     * the read position (whole elements; may wrap: a payload starts 64-byte aligned and the ring
     * is a power of two, so the wrap falls between elements) and consumes them. The ring is read
     * once, in place: no copy out first.
     */
    void reduceOut(
        final ReduceKernels kernels, final DataType type, final ReduceOp op, final long dstAddress, final long localAddress,
        final int length)
    {
        final int es = type.size();
        final int at = (int)(tail & mask);
        final int first = Math.min(length, capacity - at);
        kernels.reduce(type, op, dstAddress, localAddress, ringAddress + at, first / es);
        if (first < length)
        {
            kernels.reduce(type, op, dstAddress + first, localAddress + first, ringAddress, (length - first) / es);
        }
        tail += length;
    }

    void advanceTail(final long length)
    {
        tail += length;
    }

    /** Hands consumed space back to the producer. */
    void publishTail()
    {
        file.putLongOrdered(tailIndex, tail);
    }

    int capacity()
    {
        return capacity;
    }
}
