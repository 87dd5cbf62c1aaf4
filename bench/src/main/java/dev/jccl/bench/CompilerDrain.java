package dev.jccl.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * After the warm-up rounds, waits idle until this JVM's background threads (the JIT compilers,
 * finishing what the rounds queued) stop using CPU, or a bound passes.
 *
 * <p>Why: a rank that jcclrun bound to one core shares it with its compiler threads, and a C2
 * compile still running when the table starts is paid by the first rows (all_reduce 8 B read
 * 50-115 us in two of three runs against 13-20 us later, the warm-up ending with "compilers still
 * busy" in every run). While the rank sleeps, the process's CPU time grows only by that background
 * work, so a window in which it grew by under {@link #IDLE_PERCENT}% of the wall time means the
 * compilers are done.
 */
final class CompilerDrain
{
    /** A window in which the process used less than this share of one core counts as idle. */
    static final int IDLE_PERCENT = 5;
    /** Length of one observation window. */
    static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final LongSupplier processCpuNanos;

    /** @param processCpuNanos the process's CPU time so far, or a negative value where unknown. */
    CompilerDrain(final LongSupplier processCpuNanos)
    {
        this.processCpuNanos = processCpuNanos;
    }

    /** A drain over this JVM's own CPU time ({@code com.sun.management}; unknown elsewhere). */
    static CompilerDrain ofThisProcess()
    {
        final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean)
        {
            final com.sun.management.OperatingSystemMXBean hotspot = (com.sun.management.OperatingSystemMXBean)os;
            return new CompilerDrain(hotspot::getProcessCpuTime);
        }
        return new CompilerDrain(() -> -1);
    }

    /** Whether {@code cpuNanos} of process CPU time over {@code wallNanos} of sleeping is idle. */
    static boolean idle(final long cpuNanos, final long wallNanos)
    {
        return wallNanos > 0 && cpuNanos * 100 < wallNanos * IDLE_PERCENT;
    }

    /**
     * Sleeps in {@link #WINDOW_NANOS} windows until one is {@link #idle}, at most {@code boundNanos}.
     *
     * @return whether an idle window was seen (false also when CPU time is unknown: then it returns at once).
     */
    boolean await(final long boundNanos) throws InterruptedException
    {
        if (processCpuNanos.getAsLong() < 0)
        {
            return false;
        }
        final long start = System.nanoTime();
        while (System.nanoTime() - start < boundNanos)
        {
            final long wall0 = System.nanoTime();
            final long cpu0 = processCpuNanos.getAsLong();
            TimeUnit.NANOSECONDS.sleep(WINDOW_NANOS);
            if (idle(processCpuNanos.getAsLong() - cpu0, System.nanoTime() - wall0))
            {
                return true;
            }
        }
        return false;
    }
}
