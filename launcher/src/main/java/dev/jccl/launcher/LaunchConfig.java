package dev.jccl.launcher;

import dev.jccl.launcher.bind.BindTo;
import dev.jccl.launcher.plan.MapBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything {@code jcclrun} was asked to do, parsed and checked, before any host or process is
 * touched. Built by {@link CommandLine#parse}; immutable.
 *
 * @param np            ranks to start, or {@code null} for one per slot.
 * @param hostList      {@code -H} values as given (each may hold several comma-separated hosts).
 * @param hostfile      {@code --hostfile}, or {@code null}.
 * @param exports       {@code -x} values: {@code VAR} (copied from jcclrun's environment) or {@code VAR=value}.
 * @param tagOutput     prefix each output line with {@code [1,rank]<stdout>:} as mpirun does.
 * @param timeout       stop the job and exit 124 after this long; {@code null} for none.
 * @param rsh           remote shell command ({@code --rsh}), or {@code null} for $OMPI_MCA_plm_rsh_agent or ssh.
 * @param oversubscribe allow more ranks than slots (up to max_slots).
 * @param mapBy         slot or node.
 * @param gracePeriod   time between SIGTERM and SIGKILL when stopping ranks.
 * @param rshRetryTime  how long to keep retrying ssh to a host that is not ready yet.
 * @param launchAgent   command that starts {@code jcclrun} on remote hosts ({@code agent} is appended), or {@code null}.
 * @param masterAddr    address ranks use to reach this host's store, or {@code null} to pick one.
 * @param bindTo        how each host binds its ranks to CPUs.
 * @param reportBindings print each rank's binding as it starts.
 * @param verbose       log launcher decisions to stderr.
 * @param program       the program and its arguments (never empty).
 */
public record LaunchConfig(
    Integer np,
    List<String> hostList,
    Path hostfile,
    List<String> exports,
    boolean tagOutput,
    Duration timeout,
    String rsh,
    boolean oversubscribe,
    MapBy mapBy,
    Duration gracePeriod,
    Duration rshRetryTime,
    String launchAgent,
    String masterAddr,
    BindTo bindTo,
    boolean reportBindings,
    boolean verbose,
    List<String> program)
{
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);
    public static final Duration DEFAULT_RSH_RETRY = Duration.ofMinutes(2);

    public LaunchConfig
    {
        hostList = List.copyOf(hostList);
        exports = List.copyOf(exports);
        program = List.copyOf(program);
        Objects.requireNonNull(mapBy, "mapBy");
        Objects.requireNonNull(bindTo, "bindTo");
        Objects.requireNonNull(gracePeriod, "gracePeriod");
        Objects.requireNonNull(rshRetryTime, "rshRetryTime");
        if (program.isEmpty())
        {
            throw new LaunchException(LaunchException.USAGE, "no program to run");
        }
        if (np != null && np <= 0)
        {
            throw new LaunchException(LaunchException.USAGE, "-np must be positive, got " + np);
        }
        if (np != null && np > dev.jccl.launcher.plan.Hostfile.MAX_RANKS)
        {
            throw new LaunchException(LaunchException.USAGE, "-np " + np + " is over the limit of " +
                dev.jccl.launcher.plan.Hostfile.MAX_RANKS + " ranks per job");
        }
        if (hostfile != null && !hostList.isEmpty())
        {
            throw new LaunchException(LaunchException.USAGE, "give either -H or --hostfile, not both");
        }
        for (final String x : exports)
        {
            final String name = x.contains("=") ? x.substring(0, x.indexOf('=')) : x;
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*"))
            {
                throw new LaunchException(LaunchException.USAGE, "-x " + x + ": not an environment variable name");
            }
        }
    }
}
