package dev.jccl.algo;

/**
 * Index maths of the ring algorithms, free of I/O so it can be tested on its own.
 *
 * <p>A vector of {@code count} elements is cut into {@code n} balanced blocks: block {@code b}
 * holds {@code count / n} elements plus one more when {@code b < count % n}. When {@code count}
 * is a multiple of {@code n} every block is {@code count / n} long and starts at
 * {@code b * count / n}, which is the layout reduce-scatter and allgather use.
 *
 * <p>Data flows to the right ({@code rank + 1}). In reduce-scatter step {@code s} a rank sends
 * block {@code rank - s - 1} and receives (and reduces into) block {@code rank - s - 2}, so after
 * {@code n - 1} steps it owns the full reduction of block {@code rank}. In allgather step
 * {@code s} it sends block {@code rank - s} and receives block {@code rank - s - 1}; each block is
 * forwarded the step after it arrived.
 */
public final class RingPattern
{
    private RingPattern()
    {
    }

    /** Mathematical modulo: a result in {@code [0, n)} for any sign of {@code a}. */
    public static int mod(final int a, final int n)
    {
        final int m = a % n;
        return m < 0 ? m + n : m;
    }

    public static int right(final int rank, final int n)
    {
        return mod(rank + 1, n);
    }

    public static int left(final int rank, final int n)
    {
        return mod(rank - 1, n);
    }

    /** First element of block {@code b} of a balanced split of {@code count} into {@code n}. */
    public static long blockStart(final long count, final int n, final int b)
    {
        final long q = count / n;
        final long r = count % n;
        return b * q + Math.min(b, r);
    }

    /** Element count of block {@code b} of a balanced split of {@code count} into {@code n}. */
    public static long blockCount(final long count, final int n, final int b)
    {
        return count / n + (b < count % n ? 1 : 0);
    }

    /** A block is cut into at least this many segments, so a pipeline has something to overlap... */
    public static final int MIN_SEGMENTS_PER_BLOCK = 4;
    /** ...as long as segments stay at least this large (smaller writes cost more in syscalls than overlap gains). */
    public static final int MIN_SEGMENT_BYTES = 64 * 1024;

    /**
     * Elements per pipeline segment for {@code count} elements over {@code n} ranks: the
     * configured {@code segmentBytes}, but smaller when the largest block would otherwise be cut
     * into fewer than {@link #MIN_SEGMENTS_PER_BLOCK} segments, never below
     * {@link #MIN_SEGMENT_BYTES} (nor above {@code segmentBytes}). Without this a block of one
     * segment (1 MiB allreduce at n=2 with 1 MiB segments) travels whole, and receiving, reducing
     * and forwarding run one after another instead of overlapping.
     */
    public static long segmentElements(final long count, final int n, final int elementSize, final int segmentBytes)
    {
        final long max = Math.max(1, segmentBytes / elementSize);
        final long floor = Math.min(max, Math.max(1, MIN_SEGMENT_BYTES / elementSize));
        final long split = (blockCount(count, n, 0) + MIN_SEGMENTS_PER_BLOCK - 1) / MIN_SEGMENTS_PER_BLOCK;
        return Math.max(floor, Math.min(max, split));
    }

    /** Segments needed for the largest block (block 0) in pieces of {@code segmentElements}. */
    public static int segments(final long count, final int n, final long segmentElements)
    {
        final long largest = blockCount(count, n, 0);
        return (int)((largest + segmentElements - 1) / segmentElements);
    }

    /** First element of segment {@code k} of block {@code b}, relative to the whole vector. */
    public static long segmentStart(final long count, final int n, final int b, final int k, final long segmentElements)
    {
        return blockStart(count, n, b) + Math.min(blockCount(count, n, b), k * segmentElements);
    }

    /** Element count of segment {@code k} of block {@code b}; zero for segments past the block's end. */
    public static long segmentCount(final long count, final int n, final int b, final int k, final long segmentElements)
    {
        final long blockCount = blockCount(count, n, b);
        final long start = Math.min(blockCount, k * segmentElements);
        return Math.min(segmentElements, blockCount - start);
    }

    public static int reduceScatterSendBlock(final int rank, final int step, final int n)
    {
        return mod(rank - step - 1, n);
    }

    public static int reduceScatterRecvBlock(final int rank, final int step, final int n)
    {
        return mod(rank - step - 2, n);
    }

    public static int allGatherSendBlock(final int rank, final int step, final int n)
    {
        return mod(rank - step, n);
    }

    public static int allGatherRecvBlock(final int rank, final int step, final int n)
    {
        return mod(rank - step - 1, n);
    }
}
