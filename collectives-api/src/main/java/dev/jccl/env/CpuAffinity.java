package dev.jccl.env;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The CPUs this process may run on, and whether a launcher bound it to a part of its machine
 * (or container): Linux's {@code /proc/self/status}, {@code /proc/self/cgroup} and sysfs, read
 * once. Elsewhere, or when a file cannot be read, nothing counts as bound.
 *
 * <p>Why the transports ask: a rank spins while it waits only when it has a core of its own. The
 * JVM's {@link Runtime#availableProcessors()} counts the CPUs of this process only, so a rank that
 * {@code jcclrun} or {@code mpirun --bind-to core} bound to one core of a two-core host sees one
 * CPU for two local ranks and took itself for oversubscribed: shared-memory latency went from
 * 0.5 us to 7-12 us (a yield per poll instead of a spin). A process bound to fewer CPUs than its
 * container has was bound by a launcher, and launchers bind only ranks that fit.
 */
public final class CpuAffinity
{
    private static volatile Boolean bound;

    private CpuAffinity()
    {
    }

    /**
     * Parses a Linux CPU list such as {@code 0-3,8,10-11} into ascending CPU numbers.
     *
     * @throws IllegalArgumentException naming the list when it is malformed.
     */
    public static List<Integer> parseList(final String list)
    {
        final TreeSet<Integer> cpus = new TreeSet<>();
        final String trimmed = list.trim();
        if (trimmed.isEmpty())
        {
            return List.of();
        }
        for (final String part : trimmed.split(","))
        {
            final String p = part.trim();
            try
            {
                final int dash = p.indexOf('-');
                final int from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash));
                final int to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1));
                if (from < 0 || to < from || to - from > 65_536)
                {
                    throw new IllegalArgumentException("bad CPU range '" + p + "' in '" + list + "'");
                }
                for (int c = from; c <= to; c++)
                {
                    cpus.add(c);
                }
            }
            catch (final NumberFormatException e)
            {
                throw new IllegalArgumentException("bad CPU list '" + list + "'", e);
            }
        }
        return new ArrayList<>(cpus);
    }

    /** The {@code Cpus_allowed_list} of a {@code /proc/PID/status} text, or {@code null} if absent. */
    public static List<Integer> allowedCpus(final List<String> statusLines)
    {
        for (final String line : statusLines)
        {
            if (line.startsWith("Cpus_allowed_list:"))
            {
                return parseList(line.substring("Cpus_allowed_list:".length()));
            }
        }
        return null;
    }

    /**
     * The CPUs of this process's container: its cpuset cgroup (v2 {@code cpuset.cpus.effective},
     * v1 {@code cpuset.effective_cpus} or {@code cpuset.cpus}) when one is readable, else the
     * machine's online CPUs; {@code null} when neither is.
     *
     * @param cgroupLines {@code /proc/self/cgroup}.
     * @param cgroupRoot  where cgroup file systems are mounted ({@code /sys/fs/cgroup}).
     * @param onlineCpus  {@code /sys/devices/system/cpu/online}.
     */
    static List<Integer> containerCpus(final List<String> cgroupLines, final Path cgroupRoot, final Path onlineCpus)
    {
        for (final String line : cgroupLines)
        {
            final String[] f = line.split(":", 3);
            if (f.length != 3)
            {
                continue;
            }
            final String path = f[2].startsWith("/") ? f[2].substring(1) : f[2];
            if (f[0].equals("0") && f[1].isEmpty())
            {
                final List<Integer> v2 = readList(cgroupRoot.resolve(path).resolve("cpuset.cpus.effective"));
                if (v2 != null && !v2.isEmpty())
                {
                    return v2;
                }
            }
            else if (List.of(f[1].split(",")).contains("cpuset"))
            {
                final Path dir = cgroupRoot.resolve("cpuset").resolve(path);
                List<Integer> v1 = readList(dir.resolve("cpuset.effective_cpus"));
                if (v1 == null || v1.isEmpty())
                {
                    v1 = readList(dir.resolve("cpuset.cpus"));
                }
                if (v1 != null && !v1.isEmpty())
                {
                    return v1;
                }
            }
        }
        return readList(onlineCpus);
    }

    /**
     * Whether this process may run on fewer CPUs than its container has: a launcher bound it
     * ({@code taskset}, {@code jcclrun --bind-to}, {@code mpirun --bind-to core}). Read once.
     */
    public static boolean boundToSubset()
    {
        Boolean b = bound;
        if (b == null)
        {
            b = boundToSubset(Path.of("/proc/self/status"), Path.of("/proc/self/cgroup"), Path.of("/sys/fs/cgroup"),
                Path.of("/sys/devices/system/cpu/online"));
            bound = b;
        }
        return b;
    }

    /** {@link #boundToSubset()} with the files to read given (tests use their own). */
    static boolean boundToSubset(final Path status, final Path cgroup, final Path cgroupRoot, final Path onlineCpus)
    {
        try
        {
            final List<Integer> allowed = allowedCpus(Files.readAllLines(status));
            final List<Integer> container = containerCpus(Files.readAllLines(cgroup), cgroupRoot, onlineCpus);
            return allowed != null && container != null && !allowed.isEmpty()
                && container.containsAll(allowed) && allowed.size() < container.size();
        }
        catch (final IOException | IllegalArgumentException e)
        {
            return false;
        }
    }

    private static List<Integer> readList(final Path file)
    {
        try
        {
            return parseList(Files.readString(file));
        }
        catch (final IOException | IllegalArgumentException e)
        {
            return null;
        }
    }
}
