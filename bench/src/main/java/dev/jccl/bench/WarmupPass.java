package dev.jccl.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The untimed warm-up that {@link PerfDriver} runs before the table: its calls per size, and when
 * to stop.
 *
 * <p>Why: nccl-tests warms up briefly because compiled code is ready on the first call. On the JVM
 * the data path (algorithm, transport, kernels) first runs interpreted, then in profiled C1 code,
 * and only after the C2 compiler has finished with it at full speed, with profiles of what it has
 * seen so far. So the warm-up runs rounds over the table's sizes up to {@link #MAX_BYTES} (the paths
 * differ by size: recursive doubling, ring, segment counts), each size as its row runs it (set-up, calls, barrier,
 * the double-typed time aggregation, check; {@link PerfDriver}), and ends after the first rounds
 * in which the JVM's compilers spent under {@link #QUIET_PERCENT}% of the time (a window of at
 * least {@link #MIN_WINDOW_NANOS}), or when the time bound ({@code --warmup-ms}) is spent. With
 * calls alone the TCP np=2 rows of 8-64 B took 50-90 us against 14 us later: the steps between
 * timings threw the compiled transport code away as the table began. Per size a round makes
 * between 1 and {@link #MAX_CALLS} calls, about {@link #BYTES_PER_SIZE} bytes' worth, half out of
 * place and half in place. {@code -w 0} turns it off, as it turns off every warm-up. The calls
 * depend only on the options and on the ranks' joint vote after each round, so every rank makes
 * the same ones.
 */
final class WarmupPass
{
    /** Calls at most this many per size and round (the JIT's compile thresholds are a few thousand invocations all told). */
    static final int MAX_CALLS = 1000;
    /**
     * Each size gets about this many bytes of calls per round (8 KiB and below: 1000 calls, 64 KiB:
     * 128, 1 MiB: 8, 8 MiB: one). Rounds are kept short so that there are many: with 64 MiB per
     * size, a round over 8 B-8 MiB with -n 2000 -w 500 took 2.5-5 s, so the 5 s bound allowed one
     * or two and the compilers were still busy as the table began (8 B row 96 us in one run).
     * The data path's loops run once per segment, so a few calls of a large size compile them.
     */
    static final long BYTES_PER_SIZE = 8L << 20;
    /** A round in which the compilers worked less than this share of its wall time counts as quiet. */
    static final int QUIET_PERCENT = 2;
    /**
     * Compile time is judged over windows of whole rounds at least this long: in a shorter one a
     * compile finishing just after it would go unseen.
     */
    static final long MIN_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private WarmupPass()
    {
    }

    /**
     * Calls of {@code bytes} per round: 0 when {@code warmupIters} is 0, else about
     * {@link #BYTES_PER_SIZE} bytes' worth within [1, MAX_CALLS]. Not {@code -w} itself: that is
     * each row's own warm-up, and a round at 256 MiB with {@code -w 500} would take minutes.
     */
    static int calls(final long bytes, final int warmupIters)
    {
        if (warmupIters <= 0)
        {
            return 0;
        }
        final long byBytes = BYTES_PER_SIZE / Math.max(1, bytes);
        return (int)Math.max(1, Math.min(MAX_CALLS, byBytes));
    }

    /**
     * Sizes above this are left out of the rounds: their paths are those of the sizes below (the
     * ring with more segments), and a round with each size's own data set-up and check at 256 MiB
     * took 9 s, so the 5 s bound allowed one round, the compilers still busy.
     */
    static final long MAX_BYTES = 8L << 20;

    /** The table's distinct sizes up to {@link #MAX_BYTES}, in table order (else its first size): a round covers each once. */
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

    /** Whether a window of {@code windowNanos} is long enough to be judged by {@link #quiet}. */
    static boolean judged(final long windowNanos)
    {
        return windowNanos >= MIN_WINDOW_NANOS;
    }

    /**
     * Whether a window of {@code windowNanos} in which the compilers spent {@code compileMillis}
     * (-1: the JVM does not say) left them quiet. A window too short to be {@link #judged} is not.
     */
    static boolean quiet(final long windowNanos, final long compileMillis)
    {
        if (!judged(windowNanos))
        {
            return false;
        }
        return compileMillis < 0 || TimeUnit.MILLISECONDS.toNanos(compileMillis) * 100 < windowNanos * QUIET_PERCENT;
    }

    /** Whether this rank wants another round, {@code elapsedNanos} into a warm-up bounded by {@code boundNanos}. */
    static boolean another(final long elapsedNanos, final long boundNanos, final boolean quiet)
    {
        return !quiet && elapsedNanos < boundNanos;
    }
}
