package dev.jccl.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The untimed pass over the small sizes that {@link PerfDriver} makes before the table.
 *
 * <p>Why: nccl-tests warms up once because compiled code is ready on the first call; on the JVM
 * the data path (algorithm, transport, kernels) runs interpreted until it has been called a few
 * thousand times, so with only {@code -w} calls before the first row that row timed the JIT (about
 * 94 us for 8 bytes against 14 us from 64 bytes on). The pass calls each table size up to
 * {@link #MAX_BYTES} about {@link #BYTES_PER_SIZE} bytes' worth, between {@code -w} and
 * {@link #MAX_CALLS} calls, so the small-message paths are compiled before any row is timed; larger
 * sizes keep their own per-size warm-up, which is long enough there. {@code -w 0} turns it off, as
 * it turns off every warm-up. The counts depend only on the options, so every rank makes the same
 * calls.
 */
final class WarmupPass
{
    /** Calls at most this many per size (the JIT's compile thresholds are a few thousand invocations all told). */
    static final int MAX_CALLS = 1000;
    /** Each size gets about this many bytes of calls (64 KiB: 1000 calls, 1 MiB: 64). */
    static final long BYTES_PER_SIZE = 64L << 20;
    /** Sizes above this are left to the per-size warm-up. */
    static final long MAX_BYTES = 1L << 20;

    private WarmupPass()
    {
    }

    /** Calls of {@code bytes} in the pass: 0 when {@code warmupIters} is 0, else within [warmupIters, MAX_CALLS]. */
    static int calls(final long bytes, final int warmupIters)
    {
        if (warmupIters <= 0)
        {
            return 0;
        }
        final long byBytes = BYTES_PER_SIZE / Math.max(1, bytes);
        return (int)Math.max(warmupIters, Math.min(MAX_CALLS, byBytes));
    }

    /** The table's sizes that the pass covers, in table order: those up to {@link #MAX_BYTES}, else the first. */
    static List<Long> sizes(final List<Long> tableSizes)
    {
        final List<Long> chosen = new ArrayList<>();
        for (final long size : tableSizes)
        {
            if (size <= MAX_BYTES && !chosen.contains(size))
            {
                chosen.add(size);
            }
        }
        if (chosen.isEmpty() && !tableSizes.isEmpty())
        {
            chosen.add(tableSizes.get(0));
        }
        return chosen;
    }
}
