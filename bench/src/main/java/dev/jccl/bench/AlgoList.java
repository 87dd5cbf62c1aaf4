package dev.jccl.bench;

import dev.jccl.algo.Algorithm;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code --list-algos}: every collective's algorithms with a one-line description. */
public final class AlgoList
{
    private AlgoList()
    {
    }

    /**
     * @param byCollective JCCL_ALGO collective name ("allreduce") to its algorithms, in print order.
     */
    public static void print(final Map<String, List<Algorithm>> byCollective, final PrintStream out)
    {
        out.println(String.format(Locale.ROOT, "# %-14s %-10s %s", "collective", "algorithm", "description"));
        for (final Map.Entry<String, List<Algorithm>> e : byCollective.entrySet())
        {
            for (final Algorithm a : e.getValue())
            {
                out.println(String.format(Locale.ROOT, "  %-14s %-10s %s", e.getKey(), a.name(), a.description()));
            }
        }
        out.println("# force one with --algo NAME (for the collective measured) or JCCL_ALGO=collective:NAME");
    }
}
