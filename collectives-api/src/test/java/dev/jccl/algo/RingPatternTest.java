package dev.jccl.algo;

import org.junit.jupiter.api.Test;

import java.util.BitSet;

import static dev.jccl.algo.RingPattern.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RingPatternTest
{
    @Test
    void modIsNonNegative()
    {
        assertEquals(4, mod(-1, 5));
        assertEquals(0, mod(-5, 5));
        assertEquals(2, mod(7, 5));
        assertEquals(0, right(4, 5));
        assertEquals(4, left(0, 5));
    }

    @Test
    void balancedBlocksTileTheVector()
    {
        for (int n = 1; n <= 9; n++)
        {
            for (final long count : new long[] { 0, 1, 7, 8, 9, 1000, 100_003 })
            {
                long next = 0;
                for (int b = 0; b < n; b++)
                {
                    assertEquals(next, blockStart(count, n, b), "n=" + n + " count=" + count + " b=" + b);
                    assertTrue(blockCount(count, n, b) <= blockCount(count, n, 0));
                    assertTrue(blockCount(count, n, 0) - blockCount(count, n, b) <= 1);
                    next += blockCount(count, n, b);
                }
                assertEquals(count, next);
            }
        }
        assertEquals(3, blockStart(12, 4, 1));
        assertEquals(3, blockCount(12, 4, 3));
    }

    @Test
    void segmentsShrinkSoABlockHasFourButNeverBelow64KiB()
    {
        final int mib = 1 << 20;
        // 64 MiB of floats at n=2: 32 MiB blocks, plenty of 1 MiB segments.
        assertEquals(mib / 4, RingPattern.segmentElements((64L << 20) / 4, 2, 4, mib));
        // 1 MiB at n=2: a 512 KiB block would be one segment; four of 128 KiB instead.
        assertEquals((128 << 10) / 4, RingPattern.segmentElements(mib / 4, 2, 4, mib));
        assertEquals(4, RingPattern.segments(mib / 4, 2, RingPattern.segmentElements(mib / 4, 2, 4, mib)));
        // 128 KiB at n=2: 64 KiB blocks stay one segment (the 64 KiB floor).
        assertEquals((64 << 10) / 4, RingPattern.segmentElements((128 << 10) / 4, 2, 4, mib));
        // A configured segment below the floor is kept as is (tests use tiny segments).
        assertEquals(8, RingPattern.segmentElements(1_000_003, 3, 8, 64));
        // A block smaller than the floor is one segment (the floor only bounds the cut).
        assertEquals(8, RingPattern.segmentElements(1, 4, 8, 64));
        assertEquals(1, RingPattern.segments(1, 4, RingPattern.segmentElements(1, 4, 8, 64)));
        for (final long count : new long[] {1, 7, 1000, 1_000_003, 50_000_000})
        {
            for (final int n : new int[] {2, 3, 4, 8})
            {
                final long seg = RingPattern.segmentElements(count, n, 4, mib);
                assertTrue(seg >= 1 && seg <= mib / 4, "count " + count + " n " + n + ": " + seg);
            }
        }
    }

    @Test
    void segmentsTileEachBlock()
    {
        for (int n = 1; n <= 8; n++)
        {
            for (final long count : new long[] { 0, 1, 7, 1000, 100_003 })
            {
                for (final long seg : new long[] { 1, 3, 16, 1024 })
                {
                    final int nseg = segments(count, n, seg);
                    for (int b = 0; b < n; b++)
                    {
                        long at = blockStart(count, n, b);
                        for (int k = 0; k < nseg; k++)
                        {
                            final long c = segmentCount(count, n, b, k, seg);
                            assertTrue(c >= 0 && c <= seg);
                            assertEquals(at, segmentStart(count, n, b, k, seg));
                            at += c;
                        }
                        assertEquals(blockStart(count, n, b) + blockCount(count, n, b), at);
                    }
                }
            }
        }
    }

    /** Symbolic reduce-scatter then allgather: tracks which ranks' contributions each copy holds. */
    @Test
    void reduceScatterThenAllGatherLeavesEveryBlockFullyReducedEverywhere()
    {
        for (int n = 1; n <= 9; n++)
        {
            final BitSet[][] held = new BitSet[n][n];
            for (int r = 0; r < n; r++)
            {
                for (int b = 0; b < n; b++)
                {
                    held[r][b] = new BitSet();
                    held[r][b].set(r);
                }
            }
            for (int s = 0; s < n - 1; s++)
            {
                final BitSet[] wire = new BitSet[n];
                for (int r = 0; r < n; r++)
                {
                    final int sendBlock = reduceScatterSendBlock(r, s, n);
                    if (s > 0)
                    {
                        assertEquals(reduceScatterRecvBlock(r, s - 1, n), sendBlock, "forwards what it reduced last step");
                    }
                    wire[right(r, n)] = (BitSet)held[r][sendBlock].clone();
                    assertEquals(reduceScatterSendBlock(r, s, n), reduceScatterRecvBlock(right(r, n), s, n));
                }
                for (int r = 0; r < n; r++)
                {
                    final BitSet mine = held[r][reduceScatterRecvBlock(r, s, n)];
                    assertTrue(!mine.intersects(wire[r]), "no contribution counted twice");
                    mine.or(wire[r]);
                }
            }
            for (int r = 0; r < n; r++)
            {
                assertEquals(n, held[r][r].cardinality(), "rank " + r + " owns block " + r);
            }
            // allgather: ranks copy whole blocks
            for (int s = 0; s < n - 1; s++)
            {
                final BitSet[] wire = new BitSet[n];
                for (int r = 0; r < n; r++)
                {
                    final int sendBlock = allGatherSendBlock(r, s, n);
                    assertEquals(n, held[r][sendBlock].cardinality(), "sends only complete blocks");
                    if (s > 0)
                    {
                        assertEquals(allGatherRecvBlock(r, s - 1, n), sendBlock);
                    }
                    assertEquals(sendBlock, allGatherRecvBlock(right(r, n), s, n));
                    wire[right(r, n)] = held[r][sendBlock];
                }
                for (int r = 0; r < n; r++)
                {
                    held[r][allGatherRecvBlock(r, s, n)] = wire[r];
                }
            }
            for (int r = 0; r < n; r++)
            {
                for (int b = 0; b < n; b++)
                {
                    assertEquals(n, held[r][b].cardinality());
                }
            }
        }
    }
}
