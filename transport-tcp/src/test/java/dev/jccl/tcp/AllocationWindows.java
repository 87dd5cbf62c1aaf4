package dev.jccl.tcp;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the steady-state allocation tests count and judge a rank thread's allocation
 * ({@code com.sun.management.ThreadMXBean}): {@value #WINDOWS} windows of calls each.
 *
 * <p>A per-call allocation (the smallest object is 16 bytes) shows in every window as at least 16
 * bytes a call, and one every k calls (k up to the window's length) in every window too. What a
 * loaded 2-core machine shows instead is a stray of tens to a few thousand bytes in some windows,
 * from the VM rather than the call path: JFR samples no object allocated from the call path then,
 * and counters around the shm wait loop's steps put strays under {@code Thread.yield} (48 bytes)
 * and {@code LockSupport.parkNanos} (280 bytes in one loaded run), which allocate nothing. So at least one window must be exactly
 * zero (which no allocation on a period up to a window's length passes), and every window must stay
 * under half a 16-byte object a call.
 */
public final class AllocationWindows
{
    public static final int WINDOWS = 5;

    private static final com.sun.management.ThreadMXBean MX = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private AllocationWindows()
    {
    }

    /** Bytes the calling thread has allocated so far. */
    public static long allocatedBytes()
    {
        return MX.getCurrentThreadAllocatedBytes();
    }

    /** What one reading itself costs (measured, so a window counts only the calls). */
    public static long probeCost()
    {
        allocatedBytes();
        final long a = allocatedBytes();
        final long b = allocatedBytes();
        return b - a;
    }

    /** Runs {@code window} {@value #WINDOWS} times and returns what each run allocated. */
    public static long[] measure(final Runnable window)
    {
        final long[] windows = new long[WINDOWS];
        for (int w = 0; w < WINDOWS; w++)
        {
            final long cost = probeCost();
            final long before = allocatedBytes();
            window.run();
            windows[w] = allocatedBytes() - before - cost;
        }
        return windows;
    }

    /**
     * Fails when a rank's windows ({@code results[rank]}) show an allocation on the call path.
     *
     * @param calls the calls in one window.
     */
    public static void check(final long[][] results, final int calls, final String what)
    {
        for (int r = 0; r < results.length; r++)
        {
            final long[] windows = results[r];
            final String seen = "rank " + r + " allocated " + Arrays.toString(windows) + " bytes in windows of " + calls + " " + what + " calls";
            final long[] sorted = windows.clone();
            Arrays.sort(sorted);
            assertTrue(sorted[sorted.length - 1] < 8L * calls, seen + ": a call allocates");
            assertEquals(0, sorted[0], seen + ": no window was allocation-free, so something on the call path allocates");
        }
    }
}
