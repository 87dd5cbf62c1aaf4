package dev.jccl.bench;

/** A bad command line: jccl-perf prints the message and the usage, and exits with status 2. */
public final class UsageException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public UsageException(final String message)
    {
        super(message);
    }
}
