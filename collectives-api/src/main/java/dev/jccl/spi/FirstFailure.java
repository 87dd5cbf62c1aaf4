package dev.jccl.spi;

import dev.jccl.CollectiveException;
import dev.jccl.wire.MessageHeader;

/**
 * A transport's failure, which is sticky: the first {@link CollectiveException} recorded wins and
 * is what every later call throws. The TCP and shared-memory transports keep one each and differ
 * only in how they tell their peers (ABORT frames, an ABORT record) and in what a timeout waited
 * for; the routed transport (shm inside a host, TCP between hosts) keeps one for both sides.
 */
public final class FirstFailure
{
    private final System.Logger log;
    private final int rank;
    private volatile CollectiveException failure;

    /** @param log the transport's logger, so "communicator broken" reads as the transport's. */
    public FirstFailure(final System.Logger log, final int rank)
    {
        this.log = log;
        this.rank = rank;
    }

    /** The failure that broke the transport, or null while it works. */
    public CollectiveException get()
    {
        return failure;
    }

    /** Records {@code cause} unless a failure is recorded already; returns the one that won. */
    public CollectiveException record(final CollectiveException cause)
    {
        final CollectiveException first = failure;
        if (first != null)
        {
            return first;
        }
        synchronized (this)
        {
            if (failure == null)
            {
                failure = cause;
                log.log(System.Logger.Level.DEBUG, "rank {0}: communicator broken: {1}", rank, cause.getMessage());
            }
            return failure;
        }
    }

    /** How a timeout message starts: "allReduce (seq 3, count 10, communicator 7) on rank 1 timed out after ". */
    public static StringBuilder timedOut(final MessageHeader call, final int rank)
    {
        return new StringBuilder()
            .append(call.kind() == null ? "collective" : call.kind().apiName())
            .append(" (seq ").append(call.sequence()).append(", count ").append(call.count())
            .append(", communicator ").append(call.communicatorId()).append(") on rank ").append(rank).append(" timed out after ");
    }
}
