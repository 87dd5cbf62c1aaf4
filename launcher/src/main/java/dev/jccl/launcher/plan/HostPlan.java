package dev.jccl.launcher.plan;

import dev.jccl.launcher.LaunchConfig;
import dev.jccl.launcher.LaunchException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Which hosts the job uses and which ranks go where. Pure: the environment, the CPU count and the
 * system hostfile path are parameters, so tests need neither processes nor files under /etc.
 *
 * <p>Hosts come from, in order: {@code -H}; {@code --hostfile}; {@code $OMPI_MCA_orte_default_hostfile};
 * {@code $PRTE_MCA_prte_default_hostfile}; the system hostfile ({@code /etc/mpi/hostfile}) if it exists;
 * otherwise {@code localhost} with one slot per available processor. A hostfile named by a flag or
 * a variable that is missing, unreadable or empty is an error (exit 2), never a quiet local run.
 */
public final class HostPlan
{
    public static final Path SYSTEM_HOSTFILE = Path.of("/etc/mpi/hostfile");
    static final String[] HOSTFILE_VARIABLES = {"OMPI_MCA_orte_default_hostfile", "PRTE_MCA_prte_default_hostfile"};

    private final String source;
    private final List<HostSpec> hosts;
    private final List<RankSlot> ranks;

    private HostPlan(final String source, final List<HostSpec> hosts, final List<RankSlot> ranks)
    {
        this.source = source;
        this.hosts = List.copyOf(hosts);
        this.ranks = List.copyOf(ranks);
    }

    /** Where the host list came from, for messages: "-H", "hostfile F", "this host (N CPUs)". */
    public String source()
    {
        return source;
    }

    public List<HostSpec> hosts()
    {
        return hosts;
    }

    /** One entry per rank, in rank order. */
    public List<RankSlot> ranks()
    {
        return ranks;
    }

    public int worldSize()
    {
        return ranks.size();
    }

    /** Ranks grouped by host, hosts in the order they first receive a rank. */
    public Map<String, List<RankSlot>> ranksByHost()
    {
        final Map<String, List<RankSlot>> byHost = new LinkedHashMap<>();
        for (final RankSlot slot : ranks)
        {
            byHost.computeIfAbsent(slot.host(), h -> new ArrayList<>()).add(slot);
        }
        return byHost;
    }

    /** Resolves with the real environment, CPU count and {@link #SYSTEM_HOSTFILE}. */
    public static HostPlan resolve(final LaunchConfig config)
    {
        return resolve(config, System.getenv(), Runtime.getRuntime().availableProcessors(), SYSTEM_HOSTFILE);
    }

    public static HostPlan resolve(
        final LaunchConfig config, final Map<String, String> env, final int localCpus, final Path systemHostfile)
    {
        final List<HostSpec> hosts;
        final String source;
        if (!config.hostList().isEmpty())
        {
            hosts = Hostfile.parseHostList(config.hostList());
            source = "-H " + String.join(",", config.hostList());
        }
        else if (config.hostfile() != null)
        {
            hosts = Hostfile.read(config.hostfile(), "--hostfile");
            source = "hostfile " + config.hostfile();
        }
        else
        {
            String variable = null;
            for (final String name : HOSTFILE_VARIABLES)
            {
                final String value = env.get(name);
                if (value != null && !value.isBlank())
                {
                    variable = name;
                    break;
                }
            }
            if (variable != null)
            {
                final Path file = Path.of(env.get(variable));
                hosts = Hostfile.read(file, "$" + variable);
                source = "hostfile " + file + " ($" + variable + ")";
            }
            else if (systemHostfile != null && Files.exists(systemHostfile))
            {
                hosts = Hostfile.read(systemHostfile, "default");
                source = "hostfile " + systemHostfile;
            }
            else
            {
                hosts = List.of(new HostSpec("localhost", Math.max(1, localCpus), 0));
                source = "this host (" + Math.max(1, localCpus) + " CPUs)";
            }
        }
        return new HostPlan(source, hosts, map(hosts, config.np(), config.mapBy(), config.oversubscribe(), source));
    }

    static List<RankSlot> map(
        final List<HostSpec> hosts, final Integer requested, final MapBy mapBy, final boolean oversubscribe, final String source)
    {
        final int slots = hosts.stream().mapToInt(HostSpec::slots).sum();
        final int np = requested == null ? slots : requested;
        final String layout = hosts.stream().map(h -> h.name() + "=" + h.slots()).collect(Collectors.joining(", "));
        if (np > slots && !oversubscribe)
        {
            throw new LaunchException(LaunchException.USAGE, np + " ranks requested but only " + slots + " slot"
                + (slots == 1 ? "" : "s") + " available in " + source + " (" + layout + "); use --oversubscribe or a smaller -np");
        }
        final int[] count = new int[hosts.size()];
        final List<Integer> hostOfRank = new ArrayList<>(np);
        // Phase 1: within slots.
        if (mapBy == MapBy.SLOT)
        {
            for (int h = 0; h < hosts.size() && hostOfRank.size() < np; h++)
            {
                while (count[h] < hosts.get(h).slots() && hostOfRank.size() < np)
                {
                    count[h]++;
                    hostOfRank.add(h);
                }
            }
        }
        else
        {
            roundRobin(hosts, count, hostOfRank, np, false);
        }
        // Phase 2: oversubscription, round-robin up to max_slots.
        roundRobin(hosts, count, hostOfRank, np, true);
        if (hostOfRank.size() < np)
        {
            throw new LaunchException(LaunchException.USAGE, np + " ranks requested but max_slots in " + source
                + " allows only " + hostOfRank.size());
        }
        final List<Integer> order = new ArrayList<>(hostOfRank);
        if (mapBy == MapBy.SLOT)
        {
            Collections.sort(order); // a host's ranks stay contiguous, oversubscribed ones included
        }
        final int[] local = new int[hosts.size()];
        final List<RankSlot> ranks = new ArrayList<>(np);
        for (int r = 0; r < np; r++)
        {
            final int h = order.get(r);
            ranks.add(new RankSlot(r, hosts.get(h).name(), local[h]++, count[h]));
        }
        return Collections.unmodifiableList(ranks);
    }

    private static void roundRobin(
        final List<HostSpec> hosts, final int[] count, final List<Integer> hostOfRank, final int np, final boolean beyondSlots)
    {
        boolean progress = true;
        while (hostOfRank.size() < np && progress)
        {
            progress = false;
            for (int h = 0; h < hosts.size() && hostOfRank.size() < np; h++)
            {
                final HostSpec host = hosts.get(h);
                final boolean room = beyondSlots
                    ? host.maxSlots() == 0 || count[h] < host.maxSlots()
                    : count[h] < host.slots();
                if (room)
                {
                    count[h]++;
                    hostOfRank.add(h);
                    progress = true;
                }
            }
        }
    }
}
