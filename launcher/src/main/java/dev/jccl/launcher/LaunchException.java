package dev.jccl.launcher;

/**
 * A launch that cannot go on: the message is printed as one {@code jcclrun: ...} line and the
 * launcher exits with {@link #exitCode()}.
 */
public final class LaunchException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** Bad flags, bad or missing hostfile, too many ranks for the slots. */
    public static final int USAGE = 2;
    /** The program to run does not exist. */
    public static final int NOT_FOUND = 127;
    /** The program exists but cannot be executed. */
    public static final int NOT_EXECUTABLE = 126;
    /** A remote host could not be reached (ssh's own code for a connection failure). */
    public static final int UNREACHABLE = 255;

    private final int exitCode;

    public LaunchException(final int exitCode, final String message)
    {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode()
    {
        return exitCode;
    }
}
