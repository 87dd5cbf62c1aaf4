package dev.jccl.algo;

/**
 * Index maths of the pipelined chain {@code root -> root+1 -> ... -> root+n-1} (mod n), and of
 * the dissemination rounds: in round {@code k} (distance {@code 2^k < n}) rank {@code r} signals
 * {@code r + 2^k} and waits for {@code r - 2^k}.
 */
public final class ChainPattern
{
    private ChainPattern()
    {
    }

    /** @return the rank this one receives from, or -1 for the root. */
    public static int previous(final int rank, final int root, final int n)
    {
        return rank == root ? -1 : RingPattern.mod(rank - 1, n);
    }

    /** @return the rank this one forwards to, or -1 for the chain's tail. */
    public static int next(final int rank, final int root, final int n)
    {
        final int nxt = RingPattern.mod(rank + 1, n);
        return nxt == root ? -1 : nxt;
    }

    /** Segments of {@code segmentBytes} needed for {@code length} bytes. */
    public static int segments(final long length, final int segmentBytes)
    {
        return (int)((length + segmentBytes - 1) / segmentBytes);
    }

    public static int disseminationRounds(final int n)
    {
        return BruckPattern.steps(n);
    }

    public static int disseminationTo(final int rank, final int round, final int n)
    {
        return RingPattern.mod(rank + (1 << round), n);
    }

    public static int disseminationFrom(final int rank, final int round, final int n)
    {
        return RingPattern.mod(rank - (1 << round), n);
    }
}
