package dev.jccl.spi;

import dev.jccl.env.CpuAffinity;

import java.util.concurrent.TimeUnit;

/**
 * How a transport's wait loop spends the time after it stops making progress: busy-poll for a
 * spin budget, then poll with {@link Thread#yield} between polls until a yield budget, then park.
 * Any progress restarts the clock ({@link #restart}).
 *
 * <p>Why this shape: a peer on another core answers within microseconds, so a short spin catches
 * it without a wake-up; but a spinning rank on an oversubscribed host holds the core its peer
 * needs, so the spin is given only when every local rank has a core of its own
 * ({@link #forLocalRanks}). The yield hands the core straight to a runnable peer rank (on an idle
 * core it returns at once). After that the caller parks: in a selector, or in short sleeps that
 * grow from {@link #MIN_PARK_NANOS} to {@link #MAX_PARK_NANOS} ({@link #nextParkNanos}) when
 * nothing can wake it early.
 *
 * <p>Two system properties, named by the transport, override the spin and yield budgets in
 * microseconds; the yield budget is never shorter than the spin budget. The clock is the
 * caller's ({@code nowNanos} arguments, {@link System#nanoTime()} in the transports), so the
 * policy is pure and allocation-free. One instance per transport, used only by the thread that
 * holds the transport's I/O lock: it carries the current wait's idle state.
 */
public final class WaitBudget
{
    /** Busy-poll budget when every local rank has a core of its own. */
    public static final long SPIN_US_DEDICATED = 50;
    /** First sleep of the park phase. */
    public static final long MIN_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(10);
    /** Sleeps double up to this; short, since a peer in another process cannot wake a sleeping rank. */
    public static final long MAX_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    /** Where an idle wait stands; see {@link #phase}. */
    public enum Phase
    {
        /** Progress just stopped: the clock starts now; poll again at once. */
        STARTED,
        /** Within the spin budget: busy-poll ({@link Thread#onSpinWait}). */
        SPIN,
        /** Within the yield budget: poll with {@link Thread#yield} between polls. */
        YIELD,
        /** Both budgets spent: park (select, or sleep {@link #nextParkNanos}). */
        PARK
    }

    private final String spinProperty;
    private final String yieldProperty;
    private final long defaultYieldUs;
    private long spinNanos;
    private long yieldNanos;
    private long idleSince;
    private long parkNanos = MIN_PARK_NANOS;

    /**
     * @param spinProperty   system property overriding the spin budget (µs), e.g. {@code jccl.tcp.spinUs}.
     * @param yieldProperty  system property overriding the yield budget (µs), e.g. {@code jccl.tcp.yieldUs}.
     * @param defaultYieldUs the yield budget when the property is not set.
     */
    public WaitBudget(final String spinProperty, final String yieldProperty, final long defaultYieldUs)
    {
        this.spinProperty = spinProperty;
        this.yieldProperty = yieldProperty;
        this.defaultYieldUs = defaultYieldUs;
    }

    /**
     * {@link #forLocalRanks(int, int, boolean)} with this process's available processors and
     * whether a launcher bound it to its own CPUs ({@link CpuAffinity#boundToSubset()}).
     */
    public void forLocalRanks(final int localRanks)
    {
        forLocalRanks(localRanks, Runtime.getRuntime().availableProcessors(), CpuAffinity.boundToSubset());
    }

    /** {@link #forLocalRanks(int, int, boolean)} for a process that was not bound. */
    public void forLocalRanks(final int localRanks, final int cores)
    {
        forLocalRanks(localRanks, cores, false);
    }

    /**
     * Chooses the budgets for {@code localRanks} ranks sharing a host of {@code cores} cores: spin
     * {@value #SPIN_US_DEDICATED} µs when each has a core, none when they outnumber the cores; then
     * yield up to the default yield budget in both cases. A rank a launcher bound to its own CPUs
     * ({@code bound}) has a core of its own although it sees fewer CPUs than there are local ranks
     * (launchers bind only ranks that fit). The system properties, read now, override both.
     */
    public void forLocalRanks(final int localRanks, final int cores, final boolean bound)
    {
        final boolean dedicated = bound || localRanks <= cores;
        spinNanos = TimeUnit.MICROSECONDS.toNanos(Long.getLong(spinProperty, dedicated ? SPIN_US_DEDICATED : 0));
        yieldNanos = Math.max(spinNanos, TimeUnit.MICROSECONDS.toNanos(Long.getLong(yieldProperty, defaultYieldUs)));
    }

    public long spinNanos()
    {
        return spinNanos;
    }

    public long yieldNanos()
    {
        return yieldNanos;
    }

    /** Progress was made (or a new wait begins): the next idle poll starts the clock again and sleeps start short. */
    public void restart()
    {
        idleSince = 0;
        parkNanos = MIN_PARK_NANOS;
    }

    /** A poll at {@code nowNanos} found nothing to do: where the wait stands. */
    public Phase phase(final long nowNanos)
    {
        if (idleSince == 0)
        {
            idleSince = nowNanos;
            return Phase.STARTED;
        }
        final long idle = nowNanos - idleSince;
        if (idle < spinNanos)
        {
            return Phase.SPIN;
        }
        return idle < yieldNanos ? Phase.YIELD : Phase.PARK;
    }

    /** A park ended with nothing moved: the next idle poll parks again instead of spinning. */
    public void parkedIdle(final long nowNanos)
    {
        idleSince = nowNanos - yieldNanos;
    }

    /**
     * The next sleep of the park phase, at most {@code remainingNanos} (the caller's deadline) and
     * at least 1; each call doubles the following one up to {@link #MAX_PARK_NANOS}.
     */
    public long nextParkNanos(final long remainingNanos)
    {
        final long sleep = Math.min(parkNanos, Math.max(1, remainingNanos));
        parkNanos = Math.min(MAX_PARK_NANOS, parkNanos * 2);
        return sleep;
    }
}
