package dev.jccl.bench;

/** nccl-tests' {@code -a}: how the ranks' timings become the one number in the table. */
public enum TimeAggregation
{
    /** 0: rank 0's time. */
    RANK0,
    /** 1: the mean over ranks (nccl-tests' default). */
    AVG,
    /** 2: the fastest rank. */
    MIN,
    /** 3: the slowest rank. */
    MAX;

    public static TimeAggregation fromCode(final int code)
    {
        if (code < 0 || code >= values().length)
        {
            throw new UsageException("-a takes 0 (rank 0), 1 (avg), 2 (min) or 3 (max), got " + code);
        }
        return values()[code];
    }
}
