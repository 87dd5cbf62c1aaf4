package dev.jccl.launcher.bind;

import dev.jccl.env.CpuAffinity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The cores this process may run on, each as the list of its allowed hardware threads, in CPU
 * order. Read from Linux's {@code /proc/self/status} (the affinity mask, which already reflects a
 * container's cpuset) and {@code /sys/devices/system/cpu/cpuN/topology/thread_siblings_list}
 * (which hardware threads share a core); a CPU whose siblings cannot be read is a core of its own.
 *
 * @param cores each core's allowed CPU numbers, never empty; cores in order of their first CPU.
 */
public record CpuTopology(List<List<Integer>> cores)
{
    public CpuTopology
    {
        cores = cores.stream().map(List::copyOf).toList();
    }

    /** This process's topology, or {@code null} where the affinity mask cannot be read (not Linux). */
    public static CpuTopology ofThisProcess()
    {
        return read(Path.of("/proc/self/status"), Path.of("/sys/devices/system/cpu"));
    }

    /** {@link #ofThisProcess} with the two places to read given (tests use a directory of their own). */
    static CpuTopology read(final Path status, final Path sysCpu)
    {
        final List<Integer> allowed;
        try
        {
            allowed = CpuAffinity.allowedCpus(Files.readAllLines(status));
        }
        catch (final IOException | IllegalArgumentException e)
        {
            return null;
        }
        if (allowed == null || allowed.isEmpty())
        {
            return null;
        }
        final Map<Integer, List<Integer>> byCore = new LinkedHashMap<>();
        final TreeSet<Integer> allowedSet = new TreeSet<>(allowed);
        for (final int cpu : allowed)
        {
            int first = cpu;
            try
            {
                final Path siblings = sysCpu.resolve("cpu" + cpu).resolve("topology").resolve("thread_siblings_list");
                first = parseCpuList(Files.readString(siblings).trim()).stream()
                    .filter(allowedSet::contains).min(Integer::compare).orElse(cpu);
            }
            catch (final IOException | IllegalArgumentException e)
            {
                // no topology: this CPU is a core of its own
            }
            byCore.computeIfAbsent(first, k -> new ArrayList<>()).add(cpu);
        }
        return new CpuTopology(new ArrayList<>(byCore.values()));
    }

    /**
     * Parses a Linux CPU list such as {@code 0-3,8,10-11} ({@link CpuAffinity#parseList}).
     *
     * @throws IllegalArgumentException naming the list when it is malformed.
     */
    public static List<Integer> parseCpuList(final String list)
    {
        return CpuAffinity.parseList(list);
    }

    /** The number of cores. */
    public int coreCount()
    {
        return cores.size();
    }
}
