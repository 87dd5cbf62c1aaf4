package dev.jccl.algo;

import org.junit.jupiter.api.Test;

import java.util.BitSet;

import static dev.jccl.algo.HalvingDoublingPattern.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HalvingDoublingPatternTest
{
    @Test
    void fourRanks()
    {
        assertEquals(2, reduceScatterDistance(4, 0));
        assertEquals(1, reduceScatterDistance(4, 1));
        // New rank 1 keeps blocks 0-1 and sends 2-3 at distance 2, then keeps 1 and sends 0.
        assertEquals(0, keepStart(1, 2));
        assertEquals(2, sendStart(1, 2));
        assertEquals(1, keepStart(1, 1));
        assertEquals(0, sendStart(1, 1));
        assertEquals(2, keepStart(3, 2));
        assertEquals(0, sendStart(3, 2));
        assertEquals(2, heldStart(3, 2));
        assertEquals(4, allGatherDistance(2));
    }

    @Test
    void rangesSplitUnevenCountsIntoBalancedBlocks()
    {
        assertEquals(0, rangeStart(10, 4, 0));
        assertEquals(3, rangeCount(10, 4, 0, 1));
        assertEquals(6, rangeCount(10, 4, 0, 2));
        assertEquals(6, rangeStart(10, 4, 2));
        assertEquals(4, rangeCount(10, 4, 2, 2));
        assertEquals(10, rangeCount(10, 4, 0, 4));
        assertEquals(0, rangeCount(2, 4, 3, 1));
    }

    /** Simulates both phases on contribution sets: each block reduced once into its owner, then every block everywhere. */
    @Test
    void everyPowerOfTwoEndsWithEveryContributionInEveryBlockOnce()
    {
        for (int p = 1; p <= 64; p <<= 1)
        {
            final int steps = Integer.numberOfTrailingZeros(p);
            final BitSet[][] held = new BitSet[p][p];
            for (int q = 0; q < p; q++)
            {
                for (int b = 0; b < p; b++)
                {
                    held[q][b] = new BitSet();
                    held[q][b].set(q);
                }
            }
            for (int s = 0; s < steps; s++)
            {
                final int d = reduceScatterDistance(p, s);
                final BitSet[][] next = copy(held);
                for (int q = 0; q < p; q++)
                {
                    final int partner = q ^ d;
                    // The partner sends the half we keep, and it is the half it does not keep.
                    assertEquals(keepStart(q, d), sendStart(partner, d), "p=" + p + " step " + s + " q=" + q);
                    for (int b = keepStart(q, d); b < keepStart(q, d) + d; b++)
                    {
                        assertTrue(!held[q][b].intersects(held[partner][b]), "block " + b + " reduced twice");
                        next[q][b].or(held[partner][b]);
                    }
                }
                for (int q = 0; q < p; q++)
                {
                    held[q] = next[q];
                }
            }
            for (int q = 0; q < p; q++)
            {
                assertEquals(p, held[q][q].cardinality(), "p=" + p + ": block " + q + " incomplete on its owner");
            }
            final boolean[][] has = new boolean[p][p];
            for (int q = 0; q < p; q++)
            {
                has[q][q] = true;
            }
            for (int s = 0; s < steps; s++)
            {
                final int d = allGatherDistance(s);
                final boolean[][] next = new boolean[p][];
                for (int q = 0; q < p; q++)
                {
                    next[q] = has[q].clone();
                    final int partner = q ^ d;
                    for (int b = heldStart(partner, d); b < heldStart(partner, d) + d; b++)
                    {
                        assertTrue(has[partner][b], "p=" + p + " step " + s + ": new rank " + partner + " sends block " + b + " it lacks");
                        next[q][b] = true;
                    }
                }
                for (int q = 0; q < p; q++)
                {
                    has[q] = next[q];
                }
            }
            for (int q = 0; q < p; q++)
            {
                for (int b = 0; b < p; b++)
                {
                    assertTrue(has[q][b], "p=" + p + ": new rank " + q + " lacks block " + b);
                }
            }
        }
    }

    private static BitSet[][] copy(final BitSet[][] held)
    {
        final BitSet[][] out = new BitSet[held.length][];
        for (int q = 0; q < held.length; q++)
        {
            out[q] = new BitSet[held[q].length];
            for (int b = 0; b < held[q].length; b++)
            {
                out[q][b] = (BitSet)held[q][b].clone();
            }
        }
        return out;
    }
}
