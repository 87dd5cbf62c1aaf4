package dev.jccl.shm;

import dev.jccl.CollectiveException;
import dev.jccl.CollectiveTimeoutException;
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
    /** The transport's logger: "communicator broken" reads as the transport's. */
    private static final System.Logger LOG = System.getLogger(ShmPointToPoint.class.getName());

    private final int rank;
    /** Null for a single-rank communicator (no peer to tell). */
    private final ShmPeerWatch watch;
    private volatile CollectiveException failure;

    ShmFailure(final int rank, final ShmPeerWatch watch)
    {
        this.rank = rank;
        this.watch = watch;
    }

    /** The failure that broke the transport, or null while it works. */
    CollectiveException get()
    {
        return failure;
    }

    /** Records the failure (first wins), publishes it in this rank's ABORT record, returns what to throw. */
    CollectiveException failWith(final CollectiveException cause)
    {
        CollectiveException first = failure;
        if (first == null)
        {
            synchronized (this)
            {
                if (failure == null)
                {
                    failure = cause;
                    LOG.log(System.Logger.Level.DEBUG, "rank {0}: communicator broken: {1}", rank, cause.getMessage());
                }
                first = failure;
            }
        }
        if (watch != null)
        {
            watch.publishAbort(first);
        }
        return first;
    }

    /** The call {@code current} timed out after {@code timeout}: names it and the peers it still waits for. */
    CollectiveTimeoutException timeout(final MessageHeader current, final Duration timeout, final ShmPair[] pairs)
    {
        final StringBuilder sb = new StringBuilder();
        sb.append(current.kind() == null ? "collective" : current.kind().apiName())
            .append(" (seq ").append(current.sequence()).append(", count ").append(current.count())
            .append(", communicator ").append(current.communicatorId()).append(") on rank ").append(rank).append(" timed out after ").append(timeout).append(" waiting for ");
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
