package dev.jccl.bench.soak;

import java.util.ArrayList;
import java.util.List;

/**
 * Decides whether a rank leaked over the soak. The first interval is warm-up (JIT, buffer pools,
 * lazily started threads); from the second on, threads or file descriptors that rise at every
 * interval, ending above where they started, are a leak, and so are RSS or post-GC heap that grow
 * past a generous slack (allocator and GC noise are not leaks).
 */
final class GrowthCheck
{
    static final long RSS_SLACK_KB = 64 * 1024;
    static final double RSS_SLACK_FACTOR = 1.5;
    static final long HEAP_SLACK_KB = 32 * 1024;
    static final double HEAP_SLACK_FACTOR = 2.0;

    private final List<ProcessSample> samples = new ArrayList<>();

    void add(final ProcessSample sample)
    {
        samples.add(sample);
    }

    int size()
    {
        return samples.size();
    }

    /** What grew, one phrase each; empty when nothing did or there are too few samples to tell. */
    List<String> problems()
    {
        final List<String> problems = new ArrayList<>();
        if (samples.size() < 3)
        {
            return problems;
        }
        final List<ProcessSample> steady = samples.subList(1, samples.size());
        final ProcessSample first = steady.get(0);
        final ProcessSample last = steady.get(steady.size() - 1);
        if (strictlyRising(steady, true))
        {
            problems.add("threads rose at every interval: " + first.threads() + " -> " + last.threads());
        }
        if (strictlyRising(steady, false))
        {
            problems.add("open fds rose at every interval: " + first.openFds() + " -> " + last.openFds());
        }
        if (first.rssKb() > 0 && last.rssKb() > Math.max(first.rssKb() * RSS_SLACK_FACTOR, first.rssKb() + RSS_SLACK_KB))
        {
            problems.add("RSS grew " + first.rssKb() + " -> " + last.rssKb() + " kB after warm-up");
        }
        if (last.heapUsedKb() > Math.max(first.heapUsedKb() * HEAP_SLACK_FACTOR, first.heapUsedKb() + HEAP_SLACK_KB))
        {
            problems.add("heap after GC grew " + first.heapUsedKb() + " -> " + last.heapUsedKb() + " kB after warm-up");
        }
        return problems;
    }

    private static boolean strictlyRising(final List<ProcessSample> steady, final boolean threads)
    {
        for (int i = 1; i < steady.size(); i++)
        {
            final int before = threads ? steady.get(i - 1).threads() : steady.get(i - 1).openFds();
            final int after = threads ? steady.get(i).threads() : steady.get(i).openFds();
            if (after <= before)
            {
                return false;
            }
        }
        return true;
    }
}
