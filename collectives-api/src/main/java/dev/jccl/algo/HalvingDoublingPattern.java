package dev.jccl.algo;

/**
 * Index maths of the recursive halving-doubling allreduce (Rabenseifner's), free of I/O. It runs
 * on the {@code p} non-extra ranks of {@link RecursiveDoublingPattern} (new ranks {@code 0..p-1},
 * {@code p} a power of two); the vector is cut into {@code p} balanced blocks
 * ({@link RingPattern#blockStart}), and ranges below are in blocks.
 *
 * <p>Reduce-scatter, step {@code k = 0 .. log2(p)-1}: the distance is {@code d = p >> (k+1)}.
 * Before the step a rank holds the {@code 2d} blocks that start at its new rank with its low
 * {@code log2(2d)} bits cleared; it keeps the half its own bit {@code d} points at, sends the
 * other half to new rank {@code q ^ d} (who keeps exactly that half) and reduces what arrives
 * into the half it keeps. After the last step new rank {@code q} holds the full reduction of
 * block {@code q}.
 *
 * <p>Allgather, the mirror: step {@code k} has distance {@code d = 1 << k}; a rank holds the
 * {@code d} blocks from {@link #heldStart} and swaps them for its partner's {@code d}.
 */
public final class HalvingDoublingPattern
{
    private HalvingDoublingPattern()
    {
    }

    /** The partner's distance in reduce-scatter step {@code step} of {@code p} ranks. */
    public static int reduceScatterDistance(final int p, final int step)
    {
        return p >> (step + 1);
    }

    /** The partner's distance in allgather step {@code step}. */
    public static int allGatherDistance(final int step)
    {
        return 1 << step;
    }

    /** First block of the {@code d} blocks a rank holds (and owns the result of) at distance {@code d}. */
    public static int heldStart(final int newRank, final int d)
    {
        return newRank & -d;
    }

    /** First block of the {@code d} blocks new rank {@code newRank} keeps in the reduce-scatter step of distance {@code d}. */
    public static int keepStart(final int newRank, final int d)
    {
        return heldStart(newRank, d);
    }

    /** First block of the {@code d} blocks new rank {@code newRank} sends in the reduce-scatter step of distance {@code d}. */
    public static int sendStart(final int newRank, final int d)
    {
        return heldStart(newRank ^ d, d);
    }

    /** First element of the range of {@code blocks} blocks from block {@code first}, in a vector of {@code count} over {@code p}. */
    public static long rangeStart(final long count, final int p, final int first)
    {
        return RingPattern.blockStart(count, p, first);
    }

    /** Element count of the range of {@code blocks} blocks from block {@code first}. */
    public static long rangeCount(final long count, final int p, final int first, final int blocks)
    {
        return RingPattern.blockStart(count, p, first + blocks) - RingPattern.blockStart(count, p, first);
    }
}
