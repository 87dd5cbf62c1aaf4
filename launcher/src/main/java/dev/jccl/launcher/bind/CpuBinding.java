package dev.jccl.launcher.bind;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Which CPUs one local rank is bound to: pure index maths over a {@link CpuTopology}, no I/O.
 *
 * <p>{@link BindTo#CORE} gives local rank {@code i} core {@code i}; {@link BindTo#SHARE} cuts the
 * cores into as many contiguous runs as there are local ranks, the first {@code cores % ranks}
 * runs one core longer, so no core is left idle and no two ranks share one. Both leave the ranks
 * unbound when they outnumber the cores (an oversubscribed host: a rank bound to a core it must
 * share could not move to one that frees up; Open MPI does the same).
 *
 * @param cpus        the CPUs to bind to, ascending; empty when the rank is not bound.
 * @param description what happened, for {@code --report-bindings} and {@code -v}.
 */
public record CpuBinding(List<Integer> cpus, String description)
{
    public CpuBinding
    {
        cpus = List.copyOf(cpus);
    }

    public boolean bound()
    {
        return !cpus.isEmpty();
    }

    /** The CPUs as a {@code taskset -c} list ({@code 0,1,4}). */
    public String cpuList()
    {
        return cpus.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /**
     * The binding of local rank {@code localRank} of {@code localRanks} under {@code policy}.
     *
     * @param topology the host's cores, or {@code null} when unknown (then nothing is bound).
     */
    public static CpuBinding of(final BindTo policy, final CpuTopology topology, final int localRank, final int localRanks)
    {
        if (localRank < 0 || localRank >= localRanks)
        {
            throw new IllegalArgumentException("local rank " + localRank + " is outside 0.." + (localRanks - 1));
        }
        if (policy == BindTo.NONE)
        {
            return new CpuBinding(List.of(), "not bound (--bind-to none)");
        }
        if (topology == null)
        {
            return new CpuBinding(List.of(), "not bound (this host's CPU affinity cannot be read)");
        }
        final int cores = topology.coreCount();
        if (localRanks > cores)
        {
            return new CpuBinding(List.of(), "not bound (" + localRanks + " ranks on " + cores + " cores)");
        }
        final int first;
        final int count;
        if (policy == BindTo.CORE)
        {
            first = localRank;
            count = 1;
        }
        else
        {
            final int base = cores / localRanks;
            final int longer = cores % localRanks;
            first = localRank * base + Math.min(localRank, longer);
            count = base + (localRank < longer ? 1 : 0);
        }
        final List<Integer> cpus = new ArrayList<>();
        for (int c = first; c < first + count; c++)
        {
            cpus.addAll(topology.cores().get(c));
        }
        final String what = count == 1 ? "core " + first : "cores " + first + "-" + (first + count - 1);
        return new CpuBinding(cpus, "bound to " + what + " (CPUs " + cpus.stream().map(String::valueOf)
            .collect(Collectors.joining(",")) + ")");
    }
}
