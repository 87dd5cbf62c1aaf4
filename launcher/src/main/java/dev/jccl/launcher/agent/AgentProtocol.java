package dev.jccl.launcher.agent;

import java.nio.charset.StandardCharsets;

/**
 * Frames between the launcher and {@code jcclrun agent} over the ssh channel.
 *
 * <p>Launcher to agent (agent's stdin): {@link AgentSpec}, then one-byte commands
 * {@link #CMD_TERMINATE} and {@link #CMD_KILL}. End of stdin means the launcher or the
 * connection is gone: the agent stops its ranks (SIGTERM, grace, SIGKILL) and exits.
 *
 * <p>Agent to launcher (agent's stdout): {@link #HELLO_MAGIC} first (anything a login script
 * printed before it is skipped), then frames that start with a type byte:
 * {@code S rank pid}, {@code O|E rank len bytes} (one output line), {@code X rank pid code},
 * {@code F rank code message}, {@code L message}, {@code D} (all ranks reported; agent exits).
 */
public final class AgentProtocol
{
    /** Version 2 added the CPU binding policy; an agent of another version names both and stops. */
    public static final byte[] SPEC_MAGIC = "JCCLSPEC2\n".getBytes(StandardCharsets.US_ASCII);
    /** What every spec version's magic starts with. */
    static final String SPEC_MAGIC_PREFIX = "JCCLSPEC";
    public static final byte[] HELLO_MAGIC = "JCCLAGENT1\n".getBytes(StandardCharsets.US_ASCII);

    public static final int CMD_TERMINATE = 'T';
    public static final int CMD_KILL = 'K';

    public static final byte STARTED = 'S';
    public static final byte STDOUT = 'O';
    public static final byte STDERR = 'E';
    public static final byte EXITED = 'X';
    public static final byte START_FAILED = 'F';
    public static final byte LOG = 'L';
    public static final byte DONE = 'D';

    private AgentProtocol()
    {
    }
}
