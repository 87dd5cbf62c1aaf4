package dev.jccl.algo;

/**
 * Index maths of the binomial tree rooted at {@code root}, in virtual ranks
 * {@code vrank = (rank - root) mod n} so the root is always vrank 0.
 *
 * <p>The parent of {@code v} is {@code v} with its lowest set bit cleared. The children of
 * {@code v} are {@code v + m} for each power of two {@code m} below {@code v}'s lowest set bit
 * (for the root: below {@code n}) with {@code v + m < n}. Child {@code v + m} heads the subtree
 * of vranks {@code [v + m, v + 2m)}. Broadcast visits children largest subtree first (index 0);
 * reduce collects them smallest first.
 */
public final class BinomialTreePattern
{
    private BinomialTreePattern()
    {
    }

    public static int virtualRank(final int rank, final int root, final int n)
    {
        return RingPattern.mod(rank - root, n);
    }

    public static int realRank(final int vrank, final int root, final int n)
    {
        return (vrank + root) % n;
    }

    /** @return the parent's vrank, or -1 for the root. */
    public static int parent(final int vrank)
    {
        return vrank == 0 ? -1 : vrank & (vrank - 1);
    }

    /** The largest child offset {@code m} that {@code vrank} may have (before the {@code < n} test); 0 when none. */
    public static int highestChildMask(final int vrank, final int n)
    {
        if (vrank == 0)
        {
            return n <= 1 ? 0 : Integer.highestOneBit(n - 1);
        }
        return Integer.lowestOneBit(vrank) >>> 1;
    }

    public static int childCount(final int vrank, final int n)
    {
        int c = 0;
        for (int m = highestChildMask(vrank, n); m > 0; m >>>= 1)
        {
            if (vrank + m < n)
            {
                c++;
            }
        }
        return c;
    }

    /** The {@code i}-th child's vrank, largest subtree first. */
    public static int child(final int vrank, final int n, final int i)
    {
        int c = 0;
        for (int m = highestChildMask(vrank, n); m > 0; m >>>= 1)
        {
            if (vrank + m < n)
            {
                if (c == i)
                {
                    return vrank + m;
                }
                c++;
            }
        }
        throw new IndexOutOfBoundsException("vrank " + vrank + " of " + n + " has no child " + i);
    }

    /** Number of vranks in the subtree headed by {@code vrank} (itself included). */
    public static int subtreeSize(final int vrank, final int n)
    {
        final int span = vrank == 0 ? Integer.MAX_VALUE : Integer.lowestOneBit(vrank);
        return (int)Math.min((long)span, (long)n - vrank);
    }
}
