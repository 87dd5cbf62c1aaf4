package dev.jccl.algo;

/**
 * Index maths of Bruck's allgather for any {@code n}, done in place.
 *
 * <p>In step {@code s} (distance {@code d = 2^s}, while {@code d < n}) rank {@code r} already
 * holds the {@code d} blocks {@code r, r+1, ..., r+d-1} (mod n). It sends the first
 * {@code min(d, n - d)} of them to {@code r - d} and receives as many from {@code r + d}, which are
 * blocks {@code r+d, ...}. Because those are the same block indices the sender holds at its own
 * first positions, data lands at its final place in the caller's buffer and no rotation is needed.
 * A run of blocks may wrap past block {@code n - 1}; it then travels as two messages.
 */
public final class BruckPattern
{
    private BruckPattern()
    {
    }

    /** Steps needed: {@code ceil(log2 n)}; 0 for {@code n <= 1}. */
    public static int steps(final int n)
    {
        return n <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(n - 1);
    }

    public static int distance(final int step)
    {
        return 1 << step;
    }

    /** Blocks moved in {@code step}. */
    public static int blocks(final int step, final int n)
    {
        final int d = distance(step);
        return Math.min(d, n - d);
    }

    public static int sendPeer(final int rank, final int step, final int n)
    {
        return RingPattern.mod(rank - distance(step), n);
    }

    public static int recvPeer(final int rank, final int step, final int n)
    {
        return RingPattern.mod(rank + distance(step), n);
    }

    /** First block index sent in any step: the rank's own. */
    public static int sendFirstBlock(final int rank)
    {
        return rank;
    }

    /** First block index received in {@code step}. */
    public static int recvFirstBlock(final int rank, final int step, final int n)
    {
        return RingPattern.mod(rank + distance(step), n);
    }

    /** Blocks of the run {@code [first, first + blocks)} before it wraps past block {@code n - 1}. */
    public static int firstPieceBlocks(final int first, final int blocks, final int n)
    {
        return Math.min(blocks, n - first);
    }
}
