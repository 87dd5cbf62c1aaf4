package dev.jccl.shm;

import dev.jccl.CollectiveMismatchException;
import dev.jccl.DataType;
import dev.jccl.PeerFailureException;
import dev.jccl.ReduceOp;
import dev.jccl.kernel.ReduceKernels;
import dev.jccl.wire.MessageHeader;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

import static dev.jccl.shm.ShmLayoutDescriptor.*;
import static dev.jccl.wire.MessageHeaderDescriptor.FRAME_DATA;
import static dev.jccl.wire.MessageHeaderDescriptor.FRAME_TYPE_OFFSET;

/**
 * This rank's link with one peer: FIFO queues of posted sends and receives over two
 * {@link ShmChannel}s (ours to the peer, the peer's to us). The owning thread drives it from
 * {@link ShmPointToPoint}'s progress loop, copying straight between the caller's memory and the
 * mapped ring: a send writes its frame header, then the payload in pieces published as they land
 * so the peer copies out while we still copy in; a receive reads the header, checks it against the
 * posted expectation, then copies the payload out piece by piece, or, for a reducing receive,
 * reduces each piece straight from the ring into the destination (whole elements at a time).
 *
 * <p>A header that arrives before its receive is posted is held, exactly as TCP does, and matched
 * once the receive is posted: ranks that disagree fail with both calls named.
 */
final class ShmPair
{
    static final int QUEUE_CAPACITY = 256;
    private static final int MASK = QUEUE_CAPACITY - 1;
    /** Bytes copied before publishing: small enough for the peer to start copying out early. */
    private static final int PIECE = Integer.getInteger("jccl.shm.pieceBytes", 128 * 1024);

    private static final int READ_HEADER = 0;
    private static final int HEADER_HELD = 1;
    private static final int READ_PAYLOAD = 2;

    final int peer;
    final String peerHost;
    private final ShmPointToPoint owner;
    private final UnsafeBuffer file;
    private final ShmChannel out;
    private final ShmChannel in;

    private final MessageHeader[] sendHeaders = new MessageHeader[QUEUE_CAPACITY];
    private final ByteBuffer[] sendBuffers = new ByteBuffer[QUEUE_CAPACITY];
    private final long[] sendAddresses = new long[QUEUE_CAPACITY];
    long sendPosted;
    long sendCompleted;
    private boolean sendHeaderWritten;
    private int sendDone;

    private final MessageHeader[] expected = new MessageHeader[QUEUE_CAPACITY];
    private final ByteBuffer[] recvBuffers = new ByteBuffer[QUEUE_CAPACITY];
    private final long[] recvAddresses = new long[QUEUE_CAPACITY];
    /** Per posted receive: the reduction's other operand, or null kernels for a plain copy. */
    private final ByteBuffer[] recvLocals = new ByteBuffer[QUEUE_CAPACITY];
    private final long[] recvLocalAddresses = new long[QUEUE_CAPACITY];
    private final ReduceKernels[] recvKernels = new ReduceKernels[QUEUE_CAPACITY];
    private final DataType[] recvTypes = new DataType[QUEUE_CAPACITY];
    private final ReduceOp[] recvOps = new ReduceOp[QUEUE_CAPACITY];
    long recvPosted;
    long recvCompleted;
    private final MessageHeader incoming = new MessageHeader();
    private int recvState = READ_HEADER;
    private int recvDone;

    /** Set when the peer is known gone; used only when we need this peer. */
    private String deadReason;

    ShmPair(final ShmPointToPoint owner, final int peer, final String peerHost, final UnsafeBuffer file,
        final ShmChannel out, final ShmChannel in)
    {
        this.owner = owner;
        this.peer = peer;
        this.peerHost = peerHost;
        this.file = file;
        this.out = out;
        this.in = in;
        for (int i = 0; i < QUEUE_CAPACITY; i++)
        {
            sendHeaders[i] = new MessageHeader();
            expected[i] = new MessageHeader();
        }
    }

    boolean hasPendingSends()
    {
        return sendCompleted < sendPosted;
    }

    boolean hasPendingRecvs()
    {
        return recvCompleted < recvPosted;
    }

    boolean hasPendingWork()
    {
        return sendCompleted < sendPosted || recvCompleted < recvPosted;
    }

    /**
     * Whether a receive is pending and the peer's ring holds bytes not read yet: what a peer wrote
     * before it closed or died is still there to read (the mapping outlives it), so its end is
     * not a failure until the ring is drained.
     */
    boolean hasUnreadInput()
    {
        return recvCompleted < recvPosted && in.refreshReadable() > 0;
    }

    boolean sendQueueFull()
    {
        return sendPosted - sendCompleted >= QUEUE_CAPACITY;
    }

    boolean recvQueueFull()
    {
        return recvPosted - recvCompleted >= QUEUE_CAPACITY;
    }

    long postSend(final MessageHeader header, final ByteBuffer src, final int offset, final int length)
    {
        requireAlive();
        final long seq = sendPosted;
        final int slot = (int)(seq & MASK);
        sendHeaders[slot].copyFrom(header).chunk(header.chunkOffset(), length);
        if (length > 0)
        {
            sendBuffers[slot] = src;
            sendAddresses[slot] = BufferUtil.address(src) + offset;
        }
        sendPosted = seq + 1;
        return seq;
    }

    long postRecv(final MessageHeader header, final ByteBuffer dst, final int offset, final int length)
    {
        return postRecv(header, dst, offset, null, 0, length, null, null, null);
    }

    /** A receive that stores {@code op(local, incoming)} into {@code dst}, or a plain one when {@code kernels} is null. */
    long postRecv(
        final MessageHeader header, final ByteBuffer dst, final int offset, final ByteBuffer local, final int localOffset,
        final int length, final ReduceKernels kernels, final DataType type, final ReduceOp op)
    {
        requireAlive();
        final long seq = recvPosted;
        final int slot = (int)(seq & MASK);
        expected[slot].copyFrom(header).chunk(header.chunkOffset(), length);
        if (length > 0)
        {
            recvBuffers[slot] = dst;
            recvAddresses[slot] = BufferUtil.address(dst) + offset;
            recvKernels[slot] = kernels;
            if (kernels != null)
            {
                recvLocals[slot] = local;
                recvLocalAddresses[slot] = BufferUtil.address(local) + localOffset;
                recvTypes[slot] = type;
                recvOps[slot] = op;
            }
        }
        recvPosted = seq + 1;
        return seq;
    }

    private void requireAlive()
    {
        if (deadReason != null)
        {
            throw new PeerFailureException(peer, peerHost, deadReason);
        }
    }

    /**
     * Copies as much of the queued sends into the ring as it has room for.
     *
     * @return whether any byte moved.
     */
    boolean write()
    {
        boolean progressed = false;
        while (sendCompleted < sendPosted)
        {
            final int slot = (int)(sendCompleted & MASK);
            final MessageHeader header = sendHeaders[slot];
            final int length = header.length();
            if (!sendHeaderWritten)
            {
                if (out.writable() < FRAME_HEADER_LENGTH)
                {
                    break;
                }
                header.encode(file, out.index(out.head()));
                out.advanceHead(FRAME_HEADER_LENGTH);
                sendHeaderWritten = true;
                sendDone = 0;
                progressed = true;
            }
            while (sendDone < length)
            {
                final long free = out.writable();
                if (free <= 0)
                {
                    break;
                }
                final int n = (int)Math.min(Math.min(free, length - sendDone), PIECE);
                out.copyIn(sendAddresses[slot] + sendDone, n);
                sendDone += n;
                if (sendDone == length)
                {
                    // Padding keeps every frame header 64-byte aligned, so a header never wraps.
                    out.advanceHead(align(length) - length);
                }
                out.publishHead();
                progressed = true;
            }
            if (sendDone < length)
            {
                out.publishHead();
                break;
            }
            out.publishHead();
            sendBuffers[slot] = null;
            sendHeaderWritten = false;
            sendCompleted++;
        }
        return progressed;
    }

    /**
     * Reads whatever the peer has published: headers, then payloads into posted receives.
     *
     * @return whether any byte moved or an operation completed.
     */
    boolean read()
    {
        boolean progressed = false;
        while (true)
        {
            switch (recvState)
            {
                case READ_HEADER:
                {
                    if (in.readable() < FRAME_HEADER_LENGTH && in.refreshReadable() < FRAME_HEADER_LENGTH)
                    {
                        return progressed;
                    }
                    final int index = in.index(in.tail());
                    final int frameType = file.getInt(index + FRAME_TYPE_OFFSET, java.nio.ByteOrder.LITTLE_ENDIAN);
                    if (frameType != FRAME_DATA)
                    {
                        markDead("protocol error: frame type 0x" + Integer.toHexString(frameType) + " in the ring");
                        throw new PeerFailureException(peer, peerHost, deadReason);
                    }
                    incoming.decode(file, index);
                    in.advanceTail(FRAME_HEADER_LENGTH);
                    in.publishTail();
                    recvState = HEADER_HELD;
                    progressed = true;
                    break;
                }
                case HEADER_HELD:
                {
                    if (recvCompleted == recvPosted)
                    {
                        return progressed;
                    }
                    final MessageHeader want = expected[(int)(recvCompleted & MASK)];
                    if (!want.matches(incoming))
                    {
                        throw new CollectiveMismatchException("rank " + owner.rank() + " (host " + owner.hostName() + ") called " +
                            want.describe() + " but rank " + peer + " (host " + peerHost + ") sent " + incoming.describe());
                    }
                    recvDone = 0;
                    if (want.length() == 0)
                    {
                        completeRecv();
                    }
                    else
                    {
                        recvState = READ_PAYLOAD;
                    }
                    progressed = true;
                    break;
                }
                case READ_PAYLOAD:
                {
                    final int slot = (int)(recvCompleted & MASK);
                    final int length = incoming.length();
                    long available = in.readable();
                    if (available <= 0)
                    {
                        return progressed;
                    }
                    int n = (int)Math.min(available, length - recvDone);
                    final ReduceKernels kernels = recvKernels[slot];
                    if (kernels == null)
                    {
                        in.copyOut(recvAddresses[slot] + recvDone, n);
                    }
                    else
                    {
                        // Reduce whole elements only; the rest of a split element comes with the next publish.
                        n -= n % recvTypes[slot].size();
                        if (n == 0)
                        {
                            if (in.refreshReadable() - available > 0)
                            {
                                progressed = true;
                                break;
                            }
                            return progressed;
                        }
                        in.reduceOut(kernels, recvTypes[slot], recvOps[slot], recvAddresses[slot] + recvDone,
                            recvLocalAddresses[slot] + recvDone, n);
                    }
                    recvDone += n;
                    if (recvDone == length)
                    {
                        in.advanceTail(align(length) - length);
                        completeRecv();
                    }
                    in.publishTail();
                    progressed = true;
                    break;
                }
                default:
                    throw new IllegalStateException("recv state " + recvState);
            }
        }
    }

    private void completeRecv()
    {
        final int slot = (int)(recvCompleted & MASK);
        recvBuffers[slot] = null;
        recvLocals[slot] = null;
        recvKernels[slot] = null;
        recvCompleted++;
        recvState = READ_HEADER;
    }

    void markDead(final String reason)
    {
        if (deadReason == null)
        {
            deadReason = reason;
        }
    }

    /** Names what this pair still waits for, for timeout messages. */
    String pendingDescription()
    {
        final StringBuilder sb = new StringBuilder();
        sb.append("rank ").append(peer).append(" (host ").append(peerHost).append(")");
        if (hasPendingRecvs())
        {
            sb.append(" receive pending");
        }
        if (hasPendingSends())
        {
            sb.append(hasPendingRecvs() ? " and" : "").append(" send pending");
        }
        return sb.toString();
    }

    void clear()
    {
        for (int i = 0; i < QUEUE_CAPACITY; i++)
        {
            sendBuffers[i] = null;
            recvBuffers[i] = null;
            recvLocals[i] = null;
            recvKernels[i] = null;
        }
    }
}
