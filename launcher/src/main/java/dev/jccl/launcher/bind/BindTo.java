package dev.jccl.launcher.bind;

import java.util.Locale;

/**
 * How {@code jcclrun} binds the ranks of one host to its CPUs ({@code --bind-to}).
 *
 * <p>Why bind at all: on a host with as many cores as ranks, the scheduler still puts two busy
 * ranks on one core now and then, and a collective whose two ranks share a core pays a time
 * slice per message (about 85 µs for an 8-byte allreduce on 2 cores, against 12-15 µs bound).
 * Open MPI binds by default for the same reason.
 */
public enum BindTo
{
    /** No binding: the scheduler places the ranks. */
    NONE("none"),
    /** One core per rank, as Open MPI's {@code --bind-to core}. */
    CORE("core"),
    /**
     * Each rank gets its own equal share of the host's cores (the default): one core each when
     * ranks and cores are as many, all of them for a single rank, so a multithreaded rank keeps
     * the cores it would have used anyway.
     */
    SHARE("share");

    private final String flagValue;

    BindTo(final String flagValue)
    {
        this.flagValue = flagValue;
    }

    /** The {@code --bind-to} value that names this policy. */
    public String flagValue()
    {
        return flagValue;
    }

    /**
     * Parses a {@code --bind-to} value.
     *
     * @throws IllegalArgumentException naming the value and the accepted ones.
     */
    public static BindTo parse(final String value)
    {
        final String v = value.trim().toLowerCase(Locale.ROOT);
        for (final BindTo b : values())
        {
            if (b.flagValue.equals(v))
            {
                return b;
            }
        }
        throw new IllegalArgumentException("--bind-to " + value + ": expected share, core or none");
    }
}
