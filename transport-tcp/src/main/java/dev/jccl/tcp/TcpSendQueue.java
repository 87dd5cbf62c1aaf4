package dev.jccl.tcp;

import dev.jccl.wire.AbortReason;
import dev.jccl.wire.MessageHeader;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;

import static dev.jccl.wire.MessageHeaderDescriptor.*;

/**
 * The send half of a {@link TcpPair}: a ring of {@link TcpPair#QUEUE_CAPACITY} frames, each a
 * header encoded into one preallocated direct area plus a view of the caller's payload, written
 * in order with gathering writes (header and payload in one syscall, the payload never copied).
 * DATA frames are the posted sends; HEARTBEAT frames queued between them are nobody's ticket
 * ({@link #dataEnd}).
 */
final class TcpSendQueue
{
    private static final int MASK = TcpPair.QUEUE_CAPACITY - 1;

    private final ByteBuffer headerArea = ByteBuffer.allocateDirect(TcpPair.QUEUE_CAPACITY * HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
    private final UnsafeBuffer headerBuffer = new UnsafeBuffer(headerArea);
    private final ByteBuffer[][] frames = new ByteBuffer[TcpPair.QUEUE_CAPACITY][2];
    private final int[] frameParts = new int[TcpPair.QUEUE_CAPACITY];
    private final BufferViews[] views = new BufferViews[TcpPair.QUEUE_CAPACITY];
    long posted;
    long completed;
    /** One past the last DATA frame posted: heartbeats queued behind it are nobody's ticket. */
    long dataEnd;

    TcpSendQueue()
    {
        for (int i = 0; i < TcpPair.QUEUE_CAPACITY; i++)
        {
            frames[i][0] = headerArea.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            views[i] = new BufferViews();
        }
    }

    boolean hasPending()
    {
        return completed < posted;
    }

    /** Whether a DATA frame still waits to be written (queued heartbeats do not count). */
    boolean hasPendingData()
    {
        return completed < dataEnd;
    }

    boolean full()
    {
        return posted - completed >= TcpPair.QUEUE_CAPACITY;
    }

    /** Queues a DATA frame: {@code header} (encoded now) and a view of {@code src[offset, offset+length)}. */
    long postData(final MessageHeader header, final ByteBuffer src, final int offset, final int length)
    {
        final long seq = posted;
        final int slot = (int)(seq & MASK);
        final int headerOffset = slot * HEADER_LENGTH;
        header.encode(headerBuffer, headerOffset);
        headerBuffer.putInt(headerOffset + LENGTH_OFFSET, length, ByteOrder.LITTLE_ENDIAN);
        final ByteBuffer[] frame = frames[slot];
        frame[0].limit(headerOffset + HEADER_LENGTH).position(headerOffset);
        if (length > 0)
        {
            frame[1] = views[slot].view(src, offset, length);
            frameParts[slot] = 2;
        }
        else
        {
            frame[1] = null;
            frameParts[slot] = 1;
        }
        posted = seq + 1;
        dataEnd = seq + 1;
        return seq;
    }

    /** Queues a HEARTBEAT frame carrying {@code current}, length 0 (the caller checked {@link #full}). */
    void postHeartbeat(final MessageHeader current)
    {
        final long seq = posted;
        final int slot = (int)(seq & MASK);
        final int headerOffset = slot * HEADER_LENGTH;
        current.encode(headerBuffer, headerOffset);
        headerBuffer.putInt(headerOffset + FRAME_TYPE_OFFSET, FRAME_HEARTBEAT, ByteOrder.LITTLE_ENDIAN);
        headerBuffer.putInt(headerOffset + LENGTH_OFFSET, 0, ByteOrder.LITTLE_ENDIAN);
        frames[slot][0].limit(headerOffset + HEADER_LENGTH).position(headerOffset);
        frames[slot][1] = null;
        frameParts[slot] = 1;
        posted = seq + 1;
    }

    /**
     * Writes as much of the queued frames as the socket takes.
     *
     * @return whether any byte moved.
     */
    boolean write(final SocketChannel channel) throws IOException
    {
        boolean progressed = false;
        while (completed < posted)
        {
            final int slot = (int)(completed & MASK);
            final ByteBuffer[] frame = frames[slot];
            final long written = channel.write(frame, 0, frameParts[slot]);
            if (written > 0)
            {
                progressed = true;
            }
            if (frame[0].hasRemaining() || (frame[1] != null && frame[1].hasRemaining()))
            {
                return progressed;
            }
            frame[1] = null;
            completed++;
        }
        return progressed;
    }

    /** Forgets every queued frame as if written (the peer is gone and nobody awaits them). */
    void dropQueued()
    {
        while (completed < posted)
        {
            frames[(int)(completed & MASK)][1] = null;
            completed++;
        }
    }

    /** Whether the frame at the head of the queue is partly written (another frame now would corrupt the stream). */
    boolean frameStarted()
    {
        final int slot = (int)(completed & MASK);
        final ByteBuffer[] frame = frames[slot];
        return frame[0].position() != slot * HEADER_LENGTH;
    }

    /**
     * Writes an ABORT frame outside the queue, spinning until {@code deadlineNanos} at most; the
     * caller has checked that no frame is half-written.
     */
    static void writeAbort(final SocketChannel channel, final AbortReason reason, final int failedRank,
        final long communicatorId, final long sequence, final byte[] text, final long deadlineNanos) throws IOException
    {
        final ByteBuffer frame = ByteBuffer.allocate(HEADER_LENGTH + text.length).order(ByteOrder.LITTLE_ENDIAN);
        frame.putInt(FRAME_TYPE_OFFSET, FRAME_ABORT);
        frame.put(KIND_OFFSET, (byte)reason.id());
        frame.putInt(ROOT_OFFSET, failedRank);
        frame.putInt(LENGTH_OFFSET, text.length);
        frame.putLong(COMMUNICATOR_OFFSET, communicatorId);
        frame.putLong(SEQUENCE_OFFSET, sequence);
        frame.position(HEADER_LENGTH);
        frame.put(text);
        frame.flip();
        while (frame.hasRemaining() && System.nanoTime() < deadlineNanos)
        {
            if (channel.write(frame) == 0)
            {
                Thread.onSpinWait();
            }
        }
    }

    /** Drops every reference to callers' buffers (on close). */
    void clear()
    {
        for (int i = 0; i < TcpPair.QUEUE_CAPACITY; i++)
        {
            views[i].clear();
            frames[i][1] = null;
        }
    }
}
