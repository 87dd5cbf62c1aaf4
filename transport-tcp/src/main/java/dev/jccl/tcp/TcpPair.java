package dev.jccl.tcp;

import dev.jccl.CollectiveException;
import dev.jccl.CollectiveMismatchException;
import dev.jccl.PeerFailureException;
import dev.jccl.wire.AbortReason;
import dev.jccl.wire.MessageHeader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

import static dev.jccl.wire.MessageHeaderDescriptor.*;

/**
 * One authenticated, non-blocking connection to a peer with FIFO queues of posted sends and
 * receives. The owning thread drives it from {@link TcpPointToPoint}'s progress loop: sends are
 * gathering writes of header + payload straight from the caller's buffer, receives read a header,
 * check it against the posted expectation, then read the payload straight into the caller's buffer.
 *
 * <p>Syscalls per small message (strace, 64 KiB allreduce at np=2 by rd: 3.6 reads and 1 writev
 * per call per rank before this): when a receive is posted and its payload is at most
 * {@link #SCATTER_MAX_BYTES}, header and payload come in one scattering read, the payload straight
 * into the caller's buffer. When the header turns out to be a HEARTBEAT or ABORT, the bytes that
 * landed in the caller's buffer belong to the frames behind it: they move to a spill ({@link TcpFrameInput}), which
 * every read drains before the socket. After a receive completes with no other posted, the pair
 * does not read again (that read would almost always find nothing); the next poll, {@link LinkWatch}
 * or the selector picks up what follows.
 *
 * <p>A DATA header that arrives before its receive is posted is held (the socket is not read
 * further), so early data is never buffered twice. ABORT frames are read whenever they arrive.
 */
final class TcpPair
{
    static final int QUEUE_CAPACITY = 256;
    /** Payloads up to this size are read together with their header (one syscall instead of two). */
    static final int SCATTER_MAX_BYTES = 64 * 1024;
    private static final int MASK = QUEUE_CAPACITY - 1;

    private static final int READ_HEADER = 0;
    private static final int HEADER_HELD = 1;
    private static final int READ_PAYLOAD = 2;
    private static final int READ_ABORT_TEXT = 3;

    final int peer;
    final String peerHost;
    final SocketChannel channel;
    SelectionKey key;
    int interest;

    private final TcpPointToPoint owner;

    /** Posted sends and queued heartbeats, in order. */
    final TcpSendQueue sends = new TcpSendQueue();
    /** When a byte last arrived from the peer ({@link System#nanoTime()}): data and heartbeats alike. */
    long lastHeardNanos = System.nanoTime();

    private final MessageHeader[] expected = new MessageHeader[QUEUE_CAPACITY];
    private final ByteBuffer[] recvTargets = new ByteBuffer[QUEUE_CAPACITY];
    private final BufferViews[] recvViews = new BufferViews[QUEUE_CAPACITY];
    long recvPosted;
    long recvCompleted;

    /** The header being read and the bytes read ahead of it. */
    private final TcpFrameInput input;
    private final MessageHeader incoming = new MessageHeader();
    private final MessageHeader probe = new MessageHeader();
    private final ByteBuffer abortText = ByteBuffer.allocate(MAX_ABORT_REASON_LENGTH);
    private int abortReasonId;
    private int abortFailedRank;
    private int recvState = READ_HEADER;
    /** Set when the peer closed or the connection broke; used only when we need this peer. */
    private String deadReason;
    private boolean outputShut;

    TcpPair(final TcpPointToPoint owner, final int peer, final String peerHost, final SocketChannel channel)
    {
        this.owner = owner;
        this.peer = peer;
        this.peerHost = peerHost;
        this.channel = channel;
        this.input = new TcpFrameInput(channel);
        for (int i = 0; i < QUEUE_CAPACITY; i++)
        {
            expected[i] = new MessageHeader();
            recvViews[i] = new BufferViews();
        }
    }

    boolean hasPendingSends()
    {
        return sends.hasPending();
    }

    /** Whether a DATA frame still waits to be written (queued heartbeats do not count). */
    boolean hasPendingDataSends()
    {
        return sends.hasPendingData();
    }

    boolean hasPendingRecvs()
    {
        return recvCompleted < recvPosted;
    }

    boolean sendQueueFull()
    {
        return sends.full();
    }

    boolean recvQueueFull()
    {
        return recvPosted - recvCompleted >= QUEUE_CAPACITY;
    }

    /** Whether the socket should be watched for reads: not while a header waits for its receive. */
    boolean wantsRead()
    {
        return deadReason == null && recvState != HEADER_HELD;
    }

    /**
     * Whether {@link #read} can move a posted receive forward: the socket is readable-worthy, or a
     * header that arrived early now has its receive posted and only needs matching.
     */
    boolean canProgressRecv()
    {
        return hasPendingRecvs() && (wantsRead() || (deadReason == null && recvState == HEADER_HELD));
    }

    boolean isDead()
    {
        return deadReason != null;
    }

    long postSend(final MessageHeader header, final ByteBuffer src, final int offset, final int length)
    {
        requireAlive();
        return sends.postData(header, src, offset, length);
    }

    /**
     * Queues a HEARTBEAT frame carrying this rank's current (or, between calls, last) call, length 0.
     * It keeps the link talking, so a peer waiting on this rank can tell a frozen process from a slow
     * one; and a peer that is in the same call number but a different call reports the mismatch:
     * this is how ranks that all wait to receive (say, disagreeing broadcast roots), or a rank left
     * waiting by a peer whose count-0 call returned at once, find out without waiting for the timeout.
     */
    void postProbe(final MessageHeader current)
    {
        if (deadReason != null || outputShut || sendQueueFull())
        {
            return;
        }
        sends.postHeartbeat(current);
    }

    long postRecv(final MessageHeader header, final ByteBuffer dst, final int offset, final int length)
    {
        requireAlive();
        final long seq = recvPosted;
        final int slot = (int)(seq & MASK);
        expected[slot].copyFrom(header).chunk(header.chunkOffset(), length);
        recvTargets[slot] = length > 0 ? recvViews[slot].view(dst, offset, length) : null;
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
     * Writes as much of the queued frames as the socket takes.
     *
     * @return whether any byte moved.
     */
    boolean write()
    {
        try
        {
            return sends.write(channel);
        }
        catch (final IOException ex)
        {
            markDead("connection broke while sending: " + ex.getMessage());
            if (hasPendingDataSends() || hasPendingRecvs())
            {
                throw new PeerFailureException(peer, peerHost, deadReason, ex);
            }
            // Only a heartbeat was lost, to a peer that had finished and closed: not a failure.
            return true;
        }
    }

    /**
     * Reads whatever has arrived: headers, payloads into posted receives, ABORT frames.
     *
     * @return whether any byte moved or an operation completed.
     */
    boolean read()
    {
        boolean progressed = false;
        try
        {
            while (true)
            {
                switch (recvState)
                {
                    case READ_HEADER:
                    {
                        final int n = readHeader();
                        if (n < 0)
                        {
                            onEndOfStream();
                            return progressed;
                        }
                        if (n > 0)
                        {
                            progressed = true;
                        }
                        if (input.header.hasRemaining())
                        {
                            return progressed;
                        }
                        onHeader();
                        break;
                    }
                    case HEADER_HELD:
                    {
                        if (recvCompleted == recvPosted)
                        {
                            return progressed;
                        }
                        matchHeldHeader();
                        progressed = true;
                        break;
                    }
                    case READ_PAYLOAD:
                    {
                        final ByteBuffer target = recvTargets[(int)(recvCompleted & MASK)];
                        final int n = input.fill(target);
                        if (n < 0)
                        {
                            onEndOfStream();
                            return progressed;
                        }
                        if (n > 0)
                        {
                            progressed = true;
                        }
                        if (target.hasRemaining())
                        {
                            return progressed;
                        }
                        completeRecv();
                        if (recvCompleted == recvPosted && !input.hasSpill())
                        {
                            return true;  // nothing posted: the next read would almost always find nothing
                        }
                        break;
                    }
                    case READ_ABORT_TEXT:
                    {
                        final int n = input.fill(abortText);
                        if (n < 0)
                        {
                            onEndOfStream();
                            return progressed;
                        }
                        if (abortText.hasRemaining())
                        {
                            return progressed || n > 0;
                        }
                        onAbortFrame();
                        return true;
                    }
                    default:
                        throw new IllegalStateException("recv state " + recvState);
                }
            }
        }
        catch (final IOException ex)
        {
            markDead("connection broke: " + ex.getMessage());
            if (hasPendingRecvs() || hasPendingDataSends())
            {
                throw new PeerFailureException(peer, peerHost, deadReason, ex);
            }
            return true;
        }
    }

    /** Reads the rest of a header, with the posted receive's payload when it is small ({@link TcpFrameInput#readHeader}). */
    private int readHeader() throws IOException
    {
        return input.readHeader(recvCompleted < recvPosted ? recvTargets[(int)(recvCompleted & MASK)] : null);
    }

    private void onHeader()
    {
        final int frameType = input.headerBuffer.getInt(FRAME_TYPE_OFFSET, ByteOrder.LITTLE_ENDIAN);
        if (frameType == FRAME_DATA)
        {
            incoming.decode(input.headerBuffer, 0);
            recvState = HEADER_HELD;
        }
        else if (frameType == FRAME_ABORT)
        {
            final int length = input.headerBuffer.getInt(LENGTH_OFFSET, ByteOrder.LITTLE_ENDIAN);
            if (length < 0 || length > MAX_ABORT_REASON_LENGTH)
            {
                throw protocolError("ABORT frame claims " + length + " bytes of reason");
            }
            abortReasonId = input.headerBuffer.getByte(KIND_OFFSET) & 0xFF;
            abortFailedRank = input.headerBuffer.getInt(ROOT_OFFSET, ByteOrder.LITTLE_ENDIAN);
            abortText.clear().limit(length);
            recvState = READ_ABORT_TEXT;
        }
        else if (frameType == FRAME_HEARTBEAT)
        {
            probe.decode(input.headerBuffer, 0);
            input.header.clear();
            owner.checkProbe(this, probe);
        }
        else
        {
            throw protocolError("unknown frame type 0x" + Integer.toHexString(frameType));
        }
    }

    private void matchHeldHeader()
    {
        final int slot = (int)(recvCompleted & MASK);
        final MessageHeader want = expected[slot];
        if (!want.matches(incoming))
        {
            throw new CollectiveMismatchException("rank " + owner.rank() + " (host " + owner.hostName() + ") called " +
                want.describe() + " but rank " + peer + " (host " + peerHost + ") sent " + incoming.describe());
        }
        if (want.length() == 0)
        {
            completeRecv();
        }
        else
        {
            recvState = READ_PAYLOAD;
        }
    }

    private void completeRecv()
    {
        recvTargets[(int)(recvCompleted & MASK)] = null;
        recvCompleted++;
        input.header.clear();
        recvState = READ_HEADER;
    }

    private void onAbortFrame()
    {
        abortText.flip();
        final String text = StandardCharsets.UTF_8.decode(abortText).toString();
        final AbortReason reason = AbortReason.fromId(abortReasonId);
        final String failedHost = abortFailedRank >= 0 && abortFailedRank < owner.size() ? owner.peerHost(abortFailedRank) : "?";
        markDead("rank " + peer + " broke the communicator");
        throw AbortReason.toException(reason, peer, peerHost, abortFailedRank, failedHost, text);
    }

    private void onEndOfStream()
    {
        markDead("connection closed by peer (it closed its communicator, exited or was killed)");
        if (hasPendingRecvs() || hasPendingDataSends() || recvState != READ_HEADER || input.header.position() > 0)
        {
            throw new PeerFailureException(peer, peerHost, deadReason);
        }
    }

    private CollectiveException protocolError(final String what)
    {
        markDead("protocol error: " + what);
        return new PeerFailureException(peer, peerHost, deadReason);
    }

    private void markDead(final String reason)
    {
        if (deadReason == null)
        {
            deadReason = reason;
        }
        if (!hasPendingDataSends())
        {
            // Heartbeats queued for a peer that is gone can never be written; nobody awaits them.
            sends.dropQueued();
        }
    }

    /** Throws the recorded death when this pair has work that can no longer finish. */
    void checkUsable()
    {
        if (deadReason != null && (hasPendingRecvs() || hasPendingDataSends()))
        {
            throw new PeerFailureException(peer, peerHost, deadReason);
        }
    }

    /**
     * Best effort: writes an ABORT frame unless a frame is half-written (the peer would misread
     * it), then half-closes so the peer reads the frame and then end-of-stream.
     */
    void sendAbort(final AbortReason reason, final int failedRank, final long communicatorId, final long sequence,
        final byte[] text, final long deadlineNanos)
    {
        if (deadReason != null || outputShut)
        {
            return;
        }
        try
        {
            final boolean midFrame = hasPendingSends() && sends.frameStarted();
            if (!midFrame)
            {
                TcpSendQueue.writeAbort(channel, reason, failedRank, communicatorId, sequence, text, deadlineNanos);
            }
            channel.shutdownOutput();
            outputShut = true;
        }
        catch (final IOException | RuntimeException ignore)
        {
            // The peer is gone or going; it learns of the failure from the closed connection.
        }
    }

    /** Nanoseconds since the last byte from the peer. */
    long silentNanos(final long nowNanos)
    {
        return nowNanos - lastHeardNanos;
    }

    /** Whether this rank waits on the peer: a receive to match or data still to be written. */
    boolean awaitsPeer()
    {
        return deadReason == null && (hasPendingRecvs() || hasPendingDataSends());
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
        if (hasPendingDataSends())
        {
            sb.append(hasPendingRecvs() ? " and" : "").append(" send pending");
        }
        return sb.toString();
    }

    void close()
    {
        try
        {
            channel.close();
        }
        catch (final IOException ignore)
        {
            // Closing is best effort.
        }
        sends.clear();
        for (int i = 0; i < QUEUE_CAPACITY; i++)
        {
            recvViews[i].clear();
            recvTargets[i] = null;
        }
    }
}
