package dev.jccl.bench.soak;

import java.util.Arrays;

/**
 * Latencies of one collective within one report interval: a fixed array filled without
 * allocation (later samples past its capacity are counted but not kept), sorted at report time
 * for p50 and p99, then reset.
 */
final class LatencyLog
{
    private final String name;
    private final long[] nanos;
    private int kept;
    private long calls;

    LatencyLog(final String name, final int capacity)
    {
        this.name = name;
        this.nanos = new long[capacity];
    }

    void record(final long elapsedNanos)
    {
        if (kept < nanos.length)
        {
            nanos[kept++] = elapsedNanos;
        }
        calls++;
    }

    /** {@code name n=.. p50_us=.. p99_us=..}, then starts a new interval. */
    String reportAndReset()
    {
        final String text;
        if (kept == 0)
        {
            text = name + " n=0";
        }
        else
        {
            Arrays.sort(nanos, 0, kept);
            text = name + " n=" + calls + " p50_us=" + micros(percentile(0.50)) + " p99_us=" + micros(percentile(0.99));
        }
        kept = 0;
        calls = 0;
        return text;
    }

    private long percentile(final double p)
    {
        final int index = (int)Math.ceil(p * kept) - 1;
        return nanos[Math.max(0, Math.min(kept - 1, index))];
    }

    private static String micros(final long nanos)
    {
        return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1000.0);
    }
}
