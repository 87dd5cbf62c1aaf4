package dev.jccl.tcp;

import dev.jccl.CollectiveException;
import dev.jccl.CollectiveTimeoutException;
import dev.jccl.PeerFailureException;
import dev.jccl.spi.FirstFailure;
import dev.jccl.wire.AbortReason;
import dev.jccl.wire.MessageHeader;
import dev.jccl.wire.MessageHeaderDescriptor;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * A {@link TcpPointToPoint}'s failure, which is sticky: the first {@link CollectiveException}
 * wins and is what every later call throws, and every peer is told once with an ABORT frame
 * (by whichever thread holds the sockets: the failing call, {@link TcpPointToPoint#fail} or the
 * {@link LinkWatch} tick after it). Also words the timeout of a call from what is still pending.
 */
final class TcpFailure
{
    private static final long ABORT_SEND_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final int rank;
    private final TcpPair[] pairs;
    private final ReentrantLock ioLock;
    /** The transport's current call (the same object, updated in place): ABORT frames name it. */
    private final MessageHeader current;
    private final BooleanSupplier closed;
    private final FirstFailure failure;
    private volatile boolean abortFramesSent;

    TcpFailure(
        final int rank, final TcpPair[] pairs, final ReentrantLock ioLock, final MessageHeader current,
        final BooleanSupplier closed)
    {
        this.rank = rank;
        this.pairs = pairs;
        this.ioLock = ioLock;
        this.current = current;
        this.closed = closed;
        this.failure = new FirstFailure(System.getLogger(TcpPointToPoint.class.getName()), rank);
    }

    /** The failure that broke the transport, or null while it works. */
    CollectiveException get()
    {
        return failure.get();
    }

    /** Records the failure (first wins), tells the peers when this thread owns the sockets, returns what to throw. */
    CollectiveException failWith(final CollectiveException cause)
    {
        final CollectiveException first = failure.record(cause);
        if (ioLock.isHeldByCurrentThread())
        {
            sendAbortFrames();
        }
        return first;
    }

    /** Tells every peer but the failed one, once; the caller holds the I/O lock. */
    void sendAbortFrames()
    {
        if (abortFramesSent || closed.getAsBoolean())
        {
            return;
        }
        abortFramesSent = true;
        final CollectiveException cause = failure.get();
        final AbortReason reason = AbortReason.of(cause);
        final int failedRank = cause instanceof PeerFailureException ? ((PeerFailureException)cause).peerRank() : -1;
        final String message = cause.getMessage();
        final byte[] text = truncate(message == null ? cause.getClass().getSimpleName() : message);
        final long deadline = System.nanoTime() + ABORT_SEND_NANOS;
        for (final TcpPair pair : pairs)
        {
            if (pair != null && pair.peer != failedRank)
            {
                pair.sendAbort(reason, failedRank, current.communicatorId(), current.sequence(), text, deadline);
            }
        }
    }

    private static byte[] truncate(final String message)
    {
        final byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MessageHeaderDescriptor.MAX_ABORT_REASON_LENGTH)
        {
            return bytes;
        }
        return Arrays.copyOf(bytes, MessageHeaderDescriptor.MAX_ABORT_REASON_LENGTH);
    }

    /** The current call timed out: names it, its time budget, and the peers it still waits for. */
    CollectiveTimeoutException timeout(final long deadlineNanos, final long collectiveStartNanos)
    {
        final StringBuilder sb = FirstFailure.timedOut(current, rank)
            .append(Duration.ofMillis((deadlineNanos - collectiveStartNanos + 999_999) / 1_000_000))
            .append("; ranks not heard from: ");
        boolean first = true;
        for (final TcpPair pair : pairs)
        {
            if (pair != null && (pair.hasPendingRecvs() || pair.hasPendingDataSends()))
            {
                sb.append(first ? "" : ", ").append(pair.pendingDescription());
                first = false;
            }
        }
        if (first)
        {
            sb.append("no peer (nothing pending)");
        }
        return new CollectiveTimeoutException(sb.toString());
    }
}
