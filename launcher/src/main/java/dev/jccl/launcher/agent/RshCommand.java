package dev.jccl.launcher.agent;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The remote shell command: {@code --rsh}, else {@code $OMPI_MCA_plm_rsh_agent} (first entry of a
 * colon-separated list, as Open MPI reads it), else {@code ssh}; then {@code $OMPI_MCA_plm_rsh_args};
 * for ssh, {@code -o BatchMode=yes} so a missing key fails instead of prompting.
 */
public record RshCommand(List<String> argv)
{
    public RshCommand
    {
        argv = List.copyOf(argv);
        if (argv.isEmpty())
        {
            throw new IllegalArgumentException("empty remote shell command");
        }
    }

    public static RshCommand resolve(final String flag, final Map<String, String> env)
    {
        String agent = flag;
        if (agent == null || agent.isBlank())
        {
            agent = env.get("OMPI_MCA_plm_rsh_agent");
            if (agent != null && agent.contains(":"))
            {
                agent = agent.substring(0, agent.indexOf(':'));
            }
        }
        if (agent == null || agent.isBlank())
        {
            agent = "ssh";
        }
        final List<String> argv = new ArrayList<>(List.of(agent.strip().split("\\s+")));
        final String args = env.get("OMPI_MCA_plm_rsh_args");
        if (args != null && !args.isBlank())
        {
            argv.addAll(List.of(args.strip().split("\\s+")));
        }
        final String exe = Path.of(argv.get(0)).getFileName().toString();
        if (exe.equals("ssh") && argv.stream().noneMatch(a -> a.contains("BatchMode")))
        {
            argv.add(1, "-o");
            argv.add(2, "BatchMode=yes");
        }
        return new RshCommand(argv);
    }

    /** {@code rsh... host remoteCommand}; the remote command is one string, run by the remote user's shell. */
    public List<String> command(final String host, final String remoteCommand)
    {
        final List<String> cmd = new ArrayList<>(argv);
        cmd.add(host);
        cmd.add(remoteCommand);
        return cmd;
    }

    /** Quotes {@code s} for a POSIX shell. */
    public static String quote(final String s)
    {
        if (!s.isEmpty() && s.matches("[A-Za-z0-9_./:=@%+,-]+"))
        {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
