package dev.jccl.wire;

import dev.jccl.CollectiveException;
import dev.jccl.CollectiveMismatchException;
import dev.jccl.CollectiveTimeoutException;
import dev.jccl.CommunicatorAbortedException;
import dev.jccl.PeerFailureException;

/**
 * Why a rank broke its communicator; travels in an ABORT frame's kind byte (the root field holds
 * the failed rank for PEER_FAILURE) so every peer raises the same kind of exception.
 */
public enum AbortReason
{
    MISMATCH(1),
    PEER_FAILURE(2),
    TIMEOUT(3),
    ABORTED(4),
    OTHER(5);

    private final int id;

    AbortReason(final int id)
    {
        this.id = id;
    }

    public int id()
    {
        return id;
    }

    public static AbortReason fromId(final int id)
    {
        for (final AbortReason reason : values())
        {
            if (reason.id == id)
            {
                return reason;
            }
        }
        return OTHER;
    }

    public static AbortReason of(final CollectiveException ex)
    {
        if (ex instanceof CollectiveMismatchException)
        {
            return MISMATCH;
        }
        if (ex instanceof PeerFailureException)
        {
            return PEER_FAILURE;
        }
        if (ex instanceof CollectiveTimeoutException)
        {
            return TIMEOUT;
        }
        if (ex instanceof CommunicatorAbortedException)
        {
            return ABORTED;
        }
        return OTHER;
    }

    /** Rebuilds, on the receiving rank, the exception the sender raised. */
    public static CollectiveException toException(
        final AbortReason reason, final int senderRank, final String senderHost, final int failedRank,
        final String failedHost, final String text)
    {
        final String from = "rank " + senderRank + " (host " + senderHost + ") broke the communicator: " + text;
        switch (reason)
        {
            case MISMATCH:
                return new CollectiveMismatchException(from);
            case PEER_FAILURE:
                return new PeerFailureException(failedRank, failedHost, "reported by rank " + senderRank + ": " + text);
            case TIMEOUT:
                return new CollectiveTimeoutException(from);
            case ABORTED:
                return new CommunicatorAbortedException("rank " + senderRank + " (host " + senderHost + ") aborted the communicator: " + text);
            default:
                return new CollectiveException(from);
        }
    }
}
