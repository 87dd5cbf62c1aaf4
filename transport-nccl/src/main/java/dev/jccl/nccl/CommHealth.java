package dev.jccl.nccl;

import dev.jccl.CollectiveException;

import java.util.concurrent.locks.LockSupport;

import static java.lang.System.Logger.Level.WARNING;

/**
 * Whether a communicator can still be used. The first failure (an NCCL or CUDA error, a timeout,
 * a dead peer, an abort) sticks: it wakes the watchdog, which aborts NCCL, and the peer monitor,
 * which tells the other ranks, and every later call throws it at once. Any thread may report a
 * failure; closing is recorded here too, because both stop every call.
 */
final class CommHealth
{
    // The transport's one logger name, so existing logging configuration keeps working.
    private static final System.Logger LOG = System.getLogger(NcclCommunicator.class.getName());

    private final int rank;
    private final long communicatorId;
    private final Object failureLock = new Object();
    private volatile CollectiveException failure;
    private volatile boolean closed;
    private Thread watchdog;
    private Thread monitor;

    CommHealth(final int rank, final long communicatorId)
    {
        this.rank = rank;
        this.communicatorId = communicatorId;
    }

    /** The threads to wake on a failure; set once, before they start and before the communicator is handed out. */
    void wakeOnFailure(final Thread watchdog, final Thread monitor)
    {
        this.watchdog = watchdog;
        this.monitor = monitor;
    }

    /** Records the first failure, wakes the watchdog to abort, and returns the failure to throw. */
    CollectiveException broken(final CollectiveException ex)
    {
        synchronized (failureLock)
        {
            if (failure == null)
            {
                failure = ex;
                LOG.log(WARNING, "rank {0}: NCCL communicator {1} broken: {2}", rank, communicatorId, ex.getMessage());
            }
        }
        LockSupport.unpark(watchdog);
        LockSupport.unpark(monitor);
        return failure;
    }

    /** Throws when the communicator is closed or broken. */
    void checkUsable()
    {
        if (closed)
        {
            throw new IllegalStateException("communicator is closed");
        }
        throwIfBroken();
    }

    void throwIfBroken()
    {
        final CollectiveException broken = failure;
        if (broken != null)
        {
            throw broken;
        }
    }

    /** The failure that broke the communicator, or null while it is healthy. */
    CollectiveException failure()
    {
        return failure;
    }

    boolean isBroken()
    {
        return failure != null;
    }

    boolean isClosed()
    {
        return closed;
    }

    void markClosed()
    {
        closed = true;
    }
}
