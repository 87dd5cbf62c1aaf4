package dev.jccl.shm;

import dev.jccl.CollectiveException;
import dev.jccl.CollectiveTimeoutException;
import dev.jccl.spi.FirstFailure;
import dev.jccl.wire.MessageHeader;

import java.time.Duration;

/**
 * A {@link ShmPointToPoint}'s failure, which is sticky: the first {@link CollectiveException} wins
 * and is what every later call throws, and it is written to this rank's ABORT record for every
 * peer to see ({@link ShmPeerWatch#publishAbort}). Also words the timeout of a call from what is
 * still pending.
 */
final class ShmFailure
{
    private final int rank;
    /** Null for a single-rank communicator (no peer to tell). */
    private final ShmPeerWatch watch;
    private final FirstFailure failure;

    ShmFailure(final int rank, final ShmPeerWatch watch)
    {
        this.rank = rank;
        this.watch = watch;
        this.failure = new FirstFailure(System.getLogger(ShmPointToPoint.class.getName()), rank);
    }

    /** The failure that broke the transport, or null while it works. */
    CollectiveException get()
    {
        return failure.get();
    }

    /** Records the failure (first wins), publishes it in this rank's ABORT record, returns what to throw. */
    CollectiveException failWith(final CollectiveException cause)
    {
        final CollectiveException first = failure.record(cause);
        if (watch != null)
        {
            watch.publishAbort(first);
        }
        return first;
    }

    /** The call {@code current} timed out after {@code timeout}: names it and the peers it still waits for. */
    CollectiveTimeoutException timeout(final MessageHeader current, final Duration timeout, final ShmPair[] pairs)
    {
        final StringBuilder sb = FirstFailure.timedOut(current, rank).append(timeout).append(" waiting for ");
        boolean first = true;
        for (final ShmPair pair : pairs)
        {
            if (pair != null && pair.hasPendingWork())
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
