package dev.jccl.launcher;

import dev.jccl.launcher.bind.BindTo;
import dev.jccl.launcher.plan.MapBy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code jcclrun}'s flags, with mpirun's names (single-dash spellings accepted too), parsed by
 * picocli into a {@link LaunchConfig}. Parsing stops at the program name, so the program's own
 * flags are never taken for jcclrun's.
 */
public final class CommandLine
{
    private CommandLine()
    {
    }

    /** Help or version was asked for: print {@link #text()} and exit 0. */
    public static final class HelpRequested extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        HelpRequested(final String text)
        {
            super(text, null, false, false);
        }

        public String text()
        {
            return getMessage();
        }
    }

    @Command(name = "jcclrun", mixinStandardHelpOptions = true, version = "jcclrun 0.1.0-SNAPSHOT",
        description = "Starts N ranks of a program on this host and on remote hosts (over ssh), with the"
            + " JCCL, torchrun and Open MPI environment variables set, and exits with the first failing"
            + " rank's code.",
        footer = {"", "Also: 'jcclrun agent' is started by jcclrun over ssh on each remote host; it is not run by hand.",
            "Exit codes: 0 all ranks succeeded; C the first failing rank's code (128+S for signal S);",
            "2 bad flags or hostfile; 124 --timeout; 126/127 program not executable/not found;",
            "130/143 jcclrun was interrupted/terminated; 255 a host could not be reached."})
    static final class Flags
    {
        @Option(names = {"-np", "-n", "--np", "-c"}, paramLabel = "N", description = "Number of ranks (default: one per slot).")
        Integer np;

        @Option(names = {"-H", "--host", "-host"}, paramLabel = "HOST[:SLOTS],...", description = "Hosts to run on; a host listed twice has two slots.")
        List<String> hosts = new ArrayList<>();

        @Option(names = {"--hostfile", "-hostfile", "--machinefile", "-machinefile"}, paramLabel = "FILE",
            description = "Open MPI (host slots=N max_slots=M) or MPICH (host:N) hostfile. Default: $OMPI_MCA_orte_default_hostfile, "
                + "$PRTE_MCA_prte_default_hostfile, /etc/mpi/hostfile if it exists, else this host with one slot per CPU.")
        Path hostfile;

        @Option(names = {"-x"}, paramLabel = "VAR[=VALUE]", description = "Export VAR (from this environment, or set to VALUE) to every rank.")
        List<String> exports = new ArrayList<>();

        @Option(names = {"--transport"}, paramLabel = "auto|tcp|shm|nccl", description = "Shorthand for -x JCCL_TRANSPORT=NAME.")
        String transport;

        @Option(names = {"--tag-output", "-tag-output"}, description = "Prefix each output line with [1,RANK]<stdout>: or <stderr>:.")
        boolean tagOutput;

        @Option(names = {"--timeout", "-timeout"}, paramLabel = "SECONDS", description = "Stop every rank and exit 124 after this long.")
        Double timeoutSeconds;

        @Option(names = {"--rsh", "--launch-rsh"}, paramLabel = "CMD", description = "Remote shell command (default: $OMPI_MCA_plm_rsh_agent, else ssh); $OMPI_MCA_plm_rsh_args are appended.")
        String rsh;

        @Option(names = {"--oversubscribe", "-oversubscribe"}, description = "Allow more ranks than slots (up to max_slots).")
        boolean oversubscribe;

        @Option(names = {"--map-by", "-map-by"}, paramLabel = "slot|node", description = "slot (default): fill each host in turn; node: round-robin over hosts.")
        String mapBy = "slot";

        @Option(names = {"--grace-period"}, paramLabel = "SECONDS", description = "Time between SIGTERM and SIGKILL when stopping ranks (default 5).")
        Double graceSeconds;

        @Option(names = {"--rsh-retry-time"}, paramLabel = "SECONDS", description = "Keep retrying ssh to a host that is not ready yet for this long (default 120).")
        Double rshRetrySeconds;

        @Option(names = {"--launch-agent"}, paramLabel = "CMD", description = "Command that runs jcclrun on remote hosts (default: this jcclrun's path); 'agent' is appended.")
        String launchAgent;

        @Option(names = {"--master-addr"}, paramLabel = "ADDR", description = "Address ranks use to reach the store on this host (default: the address that routes to the first remote host, else 127.0.0.1).")
        String masterAddr;

        @Option(names = {"--bind-to", "-bind-to"}, paramLabel = "share|core|none",
            description = "Bind each host's ranks to CPUs: share (default): an equal share of the cores each; core: one core"
                + " each; none. Ranks that outnumber their host's cores are not bound.")
        String bindTo = "share";

        @Option(names = {"--report-bindings", "-report-bindings"}, description = "Print each rank's CPU binding to stderr as it starts.")
        boolean reportBindings;

        @Option(names = {"-v", "--verbose"}, description = "Log what jcclrun does to stderr.")
        boolean verbose;

        @Parameters(paramLabel = "PROGRAM [ARGS...]", description = "Program to run and its arguments.")
        List<String> program = new ArrayList<>();
    }

    /**
     * Parses {@code args}.
     *
     * @throws LaunchException with exit code 2 for bad flags.
     * @throws HelpRequested   for {@code --help} and {@code --version}.
     */
    public static LaunchConfig parse(final String... args)
    {
        final Flags flags = new Flags();
        final picocli.CommandLine cl = new picocli.CommandLine(flags)
            .setStopAtPositional(true)
            .setPosixClusteredShortOptionsAllowed(false)
            .setUnmatchedOptionsArePositionalParams(false)
            .setCaseInsensitiveEnumValuesAllowed(true);
        final picocli.CommandLine.ParseResult result;
        try
        {
            result = cl.parseArgs(args);
        }
        catch (final picocli.CommandLine.ParameterException e)
        {
            throw new LaunchException(LaunchException.USAGE, e.getMessage() + " (see jcclrun --help)");
        }
        if (result.isUsageHelpRequested())
        {
            throw new HelpRequested(cl.getUsageMessage());
        }
        if (result.isVersionHelpRequested())
        {
            final StringWriter out = new StringWriter();
            cl.printVersionHelp(new PrintWriter(out));
            throw new HelpRequested(out.toString());
        }
        final MapBy mapBy = switch (flags.mapBy.toLowerCase(Locale.ROOT))
        {
            case "slot", "core" -> MapBy.SLOT;
            case "node" -> MapBy.NODE;
            default -> throw new LaunchException(LaunchException.USAGE, "--map-by " + flags.mapBy + ": expected slot or node");
        };
        final BindTo bindTo;
        try
        {
            bindTo = BindTo.parse(flags.bindTo);
        }
        catch (final IllegalArgumentException e)
        {
            throw new LaunchException(LaunchException.USAGE, e.getMessage());
        }
        final List<String> exports = new ArrayList<>(flags.exports);
        if (flags.transport != null)
        {
            exports.add("JCCL_TRANSPORT=" + flags.transport);
        }
        return new LaunchConfig(
            flags.np,
            flags.hosts,
            flags.hostfile,
            exports,
            flags.tagOutput,
            seconds("--timeout", flags.timeoutSeconds, null),
            blankToNull(flags.rsh),
            flags.oversubscribe,
            mapBy,
            seconds("--grace-period", flags.graceSeconds, LaunchConfig.DEFAULT_GRACE),
            seconds("--rsh-retry-time", flags.rshRetrySeconds, LaunchConfig.DEFAULT_RSH_RETRY),
            blankToNull(flags.launchAgent),
            blankToNull(flags.masterAddr),
            bindTo,
            flags.reportBindings || flags.verbose,
            flags.verbose,
            flags.program);
    }

    private static Duration seconds(final String flag, final Double value, final Duration fallback)
    {
        if (value == null)
        {
            return fallback;
        }
        if (value.isNaN() || value < 0 || value > 1e9)
        {
            throw new LaunchException(LaunchException.USAGE, flag + " " + value + ": expected a non-negative number of seconds");
        }
        return Duration.ofNanos((long)(value * 1e9));
    }

    private static String blankToNull(final String s)
    {
        return s == null || s.isBlank() ? null : s;
    }
}
