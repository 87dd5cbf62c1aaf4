package dev.jccl.tcp;

import dev.jccl.CollectiveException;
import dev.jccl.spi.WaitBudget;
import dev.jccl.wire.MessageHeader;

import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;

/**
 * How a {@link TcpPointToPoint} call waits for an operation: it drives every pair (a peer may be
 * waiting on this rank too) until the one awaited completes, spending idle time as its
 * {@link WaitBudget} says and parking in the {@link TcpPairPoller}'s selector last, while keeping
 * the heartbeats going and the deadline and silent peers checked. Used by the thread that holds
 * the transport's I/O lock.
 */
final class TcpWaitLoop
{
    /**
     * Wait strategy: busy-poll for a while, then poll with {@link Thread#yield} between polls, then
     * park in the selector. Time-bounded, not iteration-bounded: one poll is a read syscall per
     * pair (about a microsecond), so the old 2000 polls burned milliseconds of a core the peer
     * needed when ranks outnumber cores. Busy-polling only pays while every local rank has a core
     * of its own (see {@link #waitFor}).
     */
    static final long YIELD_US = 200;
    private static final long SELECT_SLICE_MS = Long.getLong("jccl.tcp.selectMs", 100);

    private final TcpPairPoller poller;
    private final TcpHeartbeats heartbeats;
    private final TcpFailure failure;
    /** The transport's current call (the same object, updated in place). */
    private final MessageHeader current;
    private final WaitBudget waitBudget = new WaitBudget("jccl.tcp.spinUs", "jccl.tcp.yieldUs", YIELD_US);

    TcpWaitLoop(final TcpPairPoller poller, final TcpHeartbeats heartbeats, final TcpFailure failure, final MessageHeader current)
    {
        this.poller = poller;
        this.heartbeats = heartbeats;
        this.failure = failure;
        this.current = current;
    }

    /**
     * Chooses the wait budgets for {@code localRanks} ranks sharing this host: busy-poll
     * {@value WaitBudget#SPIN_US_DEDICATED} µs when each has a core (a loopback round trip is a few µs, a
     * selector wake-up tens), none when they outnumber the cores (the spinning rank would hold the
     * core its peer needs); then yield up to {@value #YIELD_US} µs in both cases (on an
     * oversubscribed host the yield hands the core to a peer rank; on an idle one it returns at
     * once), then park. The system properties {@code jccl.tcp.spinUs} and {@code jccl.tcp.yieldUs}
     * override both budgets (measurements are in bench/RESULTS.md).
     */
    void waitFor(final int localRanks)
    {
        waitBudget.forLocalRanks(localRanks);
    }

    /**
     * Drives every pair until {@code pair}'s completed count in one direction reaches {@code target}.
     *
     * <p>Waiting is adaptive ({@link WaitBudget}): after the last progress, poll busily for the spin
     * budget (a loopback round trip is a few microseconds and a selector wake-up costs tens), then
     * poll with {@link Thread#yield} between polls until the yield budget (on an oversubscribed machine
     * the yield hands the core to the peer we wait for; on an idle one it returns at once), then
     * park in {@link Selector#select}. Any progress restarts the clock.
     *
     * @param deadlineNanos        the call's deadline ({@link System#nanoTime()}).
     * @param collectiveStartNanos when the call began (silence and the timeout text count from it).
     */
    void progressUntil(
        final TcpPair pair, final boolean send, final long target, final long deadlineNanos, final long collectiveStartNanos)
    {
        waitBudget.restart();
        while ((send ? pair.sends.completed : pair.recvCompleted) < target)
        {
            final CollectiveException broken = failure.get();
            if (broken != null)
            {
                throw failure.failWith(broken);
            }
            boolean progressed;
            try
            {
                progressed = poller.poll();
            }
            catch (final CollectiveException ex)
            {
                throw failure.failWith(ex);
            }
            if (progressed)
            {
                waitBudget.restart();
                heartbeats.afterProgress(current);
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
            if (phase == WaitBudget.Phase.YIELD)
            {
                Thread.yield();
                continue;
            }
            final long remaining = deadlineNanos - now;
            if (remaining <= 0)
            {
                throw failure.failWith(failure.timeout(deadlineNanos, collectiveStartNanos));
            }
            heartbeats.sendIfDue(System.nanoTime(), current);
            final boolean moved = selectOnce(Math.max(1, Math.min(SELECT_SLICE_MS,
                Math.min(TimeUnit.NANOSECONDS.toMillis(heartbeats.intervalNanos()), TimeUnit.NANOSECONDS.toMillis(remaining)))));
            checkSilence(System.nanoTime(), collectiveStartNanos);
            if (moved)
            {
                waitBudget.restart();  // bytes moved: the peer is active, spin again
            }
            else
            {
                waitBudget.parkedIdle(System.nanoTime());  // slice ran out: straight back to the selector
            }
        }
    }

    /** A peer this rank waits on has been silent for the heartbeat timeout: fail now ({@link TcpHeartbeats#silentPeer}). */
    void checkSilence(final long now, final long collectiveStartNanos)
    {
        final CollectiveException silent = heartbeats.silentPeer(now, collectiveStartNanos, current);
        if (silent != null)
        {
            throw failure.failWith(silent);
        }
    }

    /** Parks in the selector up to {@code timeoutMs}; returns whether a selected pair moved bytes. */
    private boolean selectOnce(final long timeoutMs)
    {
        try
        {
            return poller.select(timeoutMs);
        }
        catch (final CollectiveException ex)
        {
            throw failure.failWith(ex);
        }
    }
}
