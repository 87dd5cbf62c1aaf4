package dev.jccl.shm;

import dev.jccl.CollectiveException;
import dev.jccl.spi.WaitBudget;
import dev.jccl.wire.MessageHeader;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * How a {@link ShmPointToPoint} call waits for an operation: it drives every pair (a peer may be
 * waiting on this rank too) until the one awaited completes, spending idle time as its
 * {@link WaitBudget} says: a short spin only when every local rank has a core, then yields, then
 * short sleeps (a peer cannot wake a rank of another process, so a parked rank notices new data
 * only when its sleep ends). Once past the spin it checks the deadline and, every
 * {@link #WATCH_INTERVAL_NANOS}, the peers ({@link ShmPeerWatch}). Used by the thread that holds
 * the transport's I/O lock.
 */
final class ShmWaitLoop
{
    /**
     * Yield budget after the spin: long, because the sleeps after it cannot be cut short by the
     * peer, and a yield hands the core straight to a peer rank that is runnable.
     */
    static final long YIELD_US = 1_000;
    /** How often a parked rank looks at its peers' records and processes. */
    static final long WATCH_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final ShmPair[] pairs;
    /** Null only for a single-rank communicator, which never waits. */
    private final ShmPeerWatch watch;
    private final ShmFailure failure;
    /** The transport's current call (the same object, updated in place). */
    private final MessageHeader current;
    private final Duration timeout;
    /** Spin, yield, then sleeps growing from 10 µs to 100 µs (nothing wakes a parked rank early). */
    private final WaitBudget waitBudget = new WaitBudget("jccl.shm.spinUs", "jccl.shm.yieldUs", YIELD_US);

    ShmWaitLoop(
        final ShmPair[] pairs, final ShmPeerWatch watch, final ShmFailure failure, final MessageHeader current,
        final Duration timeout)
    {
        this.pairs = pairs;
        this.watch = watch;
        this.failure = failure;
        this.current = current;
        this.timeout = timeout;
    }

    /**
     * Chooses the wait budgets for {@code localRanks} ranks sharing this host: busy-poll
     * {@value WaitBudget#SPIN_US_DEDICATED} µs when each has a core, none when they outnumber the
     * cores; then yield up to {@value #YIELD_US} µs; then park. The system properties
     * {@code jccl.shm.spinUs} and {@code jccl.shm.yieldUs} override both budgets.
     */
    void waitFor(final int localRanks)
    {
        waitBudget.forLocalRanks(localRanks);
    }

    /**
     * Drives every pair until {@code pair}'s completed count in one direction reaches {@code target}.
     * After the last progress ({@link WaitBudget}): poll busily for the spin budget, then poll with a
     * yield between polls until the yield budget, then poll with sleeps of 10 µs growing to 100 µs. Any
     * progress restarts the clock; the deadline and the peer watch are checked once idle.
     *
     * @param deadlineNanos the call's deadline ({@link System#nanoTime()}).
     * @param inCollective  whether a call is running (the watch then compares the peers' calls with it).
     */
    void progressUntil(
        final ShmPair pair, final boolean send, final long target, final long deadlineNanos, final boolean inCollective)
    {
        waitBudget.restart();
        long nextWatchNanos = 0;
        while ((send ? pair.sendCompleted : pair.recvCompleted) < target)
        {
            final CollectiveException broken = failure.get();
            if (broken != null)
            {
                throw failure.failWith(broken);
            }
            boolean progressed;
            try
            {
                progressed = poll();
            }
            catch (final CollectiveException ex)
            {
                throw failure.failWith(ex);
            }
            if (progressed)
            {
                waitBudget.restart();
                continue;
            }
            final long now = System.nanoTime();
            final WaitBudget.Phase phase = waitBudget.phase(now);
            if (phase == WaitBudget.Phase.STARTED)
            {
                continue;
            }
            if (phase == WaitBudget.Phase.SPIN)
            {
                Thread.onSpinWait();
                continue;
            }
            if (now - deadlineNanos >= 0)
            {
                throw failure.failWith(failure.timeout(current, timeout, pairs));
            }
            if (now - nextWatchNanos >= 0)
            {
                nextWatchNanos = now + WATCH_INTERVAL_NANOS;
                try
                {
                    watch.check(pairs, inCollective ? current : null, now);
                }
                catch (final CollectiveException ex)
                {
                    throw failure.failWith(ex);
                }
            }
            if (phase == WaitBudget.Phase.YIELD)
            {
                Thread.yield();
                continue;
            }
            LockSupport.parkNanos(waitBudget.nextParkNanos(deadlineNanos - now));
        }
    }

    /**
     * Writes and reads what each pair with work can move now.
     *
     * @return whether anything moved or completed.
     */
    boolean poll()
    {
        boolean progressed = false;
        for (final ShmPair pair : pairs)
        {
            if (pair == null)
            {
                continue;
            }
            if (pair.hasPendingSends())
            {
                progressed |= pair.write();
            }
            if (pair.hasPendingRecvs())
            {
                progressed |= pair.read();
            }
        }
        return progressed;
    }
}
