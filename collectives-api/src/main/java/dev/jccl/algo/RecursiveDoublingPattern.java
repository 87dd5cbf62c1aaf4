package dev.jccl.algo;

/**
 * Index maths of recursive doubling over any {@code n}: {@code p} is the largest power of two
 * {@code <= n} and {@code rem = n - p}. Among ranks {@code < 2 * rem} each even rank is an
 * <em>extra</em>: it folds its data into the odd rank above it before the exchange and gets the
 * result back at the end. The {@code p} remaining ranks get new ranks {@code 0..p-1} in rank
 * order (odd rank {@code r < 2 rem} becomes {@code r / 2}, rank {@code r >= 2 rem} becomes
 * {@code r - rem}) and in step {@code s} exchange with new rank {@code newRank ^ 2^s}. A new rank
 * always stands for a contiguous, ordered run of real ranks, so "lower new rank first" combines
 * in rank order.
 */
public final class RecursiveDoublingPattern
{
    private RecursiveDoublingPattern()
    {
    }

    public static int powerOfTwo(final int n)
    {
        return Integer.highestOneBit(n);
    }

    public static int remainder(final int n)
    {
        return n - powerOfTwo(n);
    }

    /** Whether {@code rank} folds into {@code rank + 1} and sits out the exchange. */
    public static boolean isExtra(final int rank, final int n)
    {
        return rank < 2 * remainder(n) && (rank & 1) == 0;
    }

    /** Whether {@code rank} receives an extra's data from {@code rank - 1}. */
    public static boolean hasExtra(final int rank, final int n)
    {
        return rank < 2 * remainder(n) && (rank & 1) == 1;
    }

    /** @return the new rank, or -1 for an extra. */
    public static int newRank(final int rank, final int n)
    {
        final int rem = remainder(n);
        if (rank < 2 * rem)
        {
            return (rank & 1) == 0 ? -1 : rank >> 1;
        }
        return rank - rem;
    }

    public static int realRank(final int newRank, final int n)
    {
        final int rem = remainder(n);
        return newRank < rem ? 2 * newRank + 1 : newRank + rem;
    }

    public static int steps(final int n)
    {
        return Integer.numberOfTrailingZeros(powerOfTwo(n));
    }

    /** The real rank of {@code rank}'s partner in {@code step} (rank must not be an extra). */
    public static int partner(final int rank, final int step, final int n)
    {
        return realRank(newRank(rank, n) ^ (1 << step), n);
    }
}
