package dev.jccl.bench;

import dev.jccl.Communicator;

/**
 * One collective as the driver sees it (nccl-tests' {@code testColl}): element counts for a byte
 * size, the bus-bandwidth factor, how to fill the inputs, how to run it, and how to count wrong
 * outputs. The driver knows nothing else about the collective.
 */
public interface PerfColl
{
    /** Element counts for one size: what each rank sends, receives, and the count the collective is called with. */
    record Counts(long sendCount, long recvCount, long paramCount)
    {
        /** Bytes of the larger side: the size column of the table. */
        public long bytes(final int typeSize)
        {
            return Math.max(sendCount, recvCount) * typeSize;
        }
    }

    /** Subcommand and table name ("all_reduce"). */
    String name();

    /** Collective name in a JCCL_ALGO tuning string ("allreduce"). */
    String algoKey();

    /** False for barrier: no data, no sizes, no type. */
    default boolean movesData()
    {
        return true;
    }

    /** Whether the op column applies. */
    boolean reduces();

    /** Whether the root column applies. */
    boolean rooted();

    /** nccl-tests' getCollByteCount: counts for {@code bytes} bytes of {@code typeSize}-byte elements. */
    Counts counts(long bytes, int typeSize, int nranks);

    /** busbw = algbw x this factor. */
    double busBwFactor(int nranks);

    /**
     * Writes this rank's inputs for check iteration {@code seed}. The receive buffer was filled with
     * 0xFF before; the in-place forms write their input into it.
     */
    void initData(CollArgs args, int seed);

    /** Builds the call to time once; every iteration runs the returned action, which allocates nothing. */
    Runnable prepare(Communicator comm, CollArgs args);

    /** Counts wrong output elements on this rank after check iteration {@code seed}. */
    long check(CollArgs args, int seed);
}
