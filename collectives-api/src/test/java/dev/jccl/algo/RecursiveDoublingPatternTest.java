package dev.jccl.algo;

import org.junit.jupiter.api.Test;

import java.util.BitSet;

import static dev.jccl.algo.RecursiveDoublingPattern.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecursiveDoublingPatternTest
{
    @Test
    void sevenRanks()
    {
        assertEquals(4, powerOfTwo(7));
        assertEquals(3, remainder(7));
        assertTrue(isExtra(0, 7));
        assertTrue(hasExtra(1, 7));
        assertTrue(isExtra(4, 7));
        assertFalse(isExtra(6, 7));
        assertEquals(-1, newRank(2, 7));
        assertEquals(2, newRank(5, 7));
        assertEquals(3, newRank(6, 7));
        assertEquals(2, steps(7));
        assertEquals(3, partner(1, 0, 7));
        assertEquals(5, partner(1, 1, 7));
    }

    @Test
    void everySizeReducesEveryContributionOnce()
    {
        for (int n = 1; n <= 70; n++)
        {
            final BitSet[] held = new BitSet[n];
            for (int r = 0; r < n; r++)
            {
                held[r] = new BitSet();
                held[r].set(r);
            }
            int extras = 0;
            for (int r = 0; r < n; r++)
            {
                if (isExtra(r, n))
                {
                    extras++;
                    assertTrue(hasExtra(r + 1, n));
                    held[r + 1].or(held[r]);
                }
                else
                {
                    assertEquals(r, realRank(newRank(r, n), n));
                }
            }
            assertEquals(remainder(n), extras);
            for (int s = 0; s < steps(n); s++)
            {
                final BitSet[] next = new BitSet[n];
                for (int r = 0; r < n; r++)
                {
                    if (!isExtra(r, n))
                    {
                        final int p = partner(r, s, n);
                        assertEquals(r, partner(p, s, n));
                        assertFalse(isExtra(p, n));
                        assertFalse(held[r].intersects(held[p]));
                        next[r] = (BitSet)held[r].clone();
                        next[r].or(held[p]);
                    }
                }
                for (int r = 0; r < n; r++)
                {
                    if (next[r] != null)
                    {
                        held[r] = next[r];
                    }
                }
            }
            for (int r = 0; r < n; r++)
            {
                if (!isExtra(r, n))
                {
                    assertEquals(n, held[r].cardinality(), "n=" + n + " rank " + r);
                }
            }
        }
    }
}
