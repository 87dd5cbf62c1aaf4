package dev.jccl.algo;

import org.junit.jupiter.api.Test;

import java.util.BitSet;

import static dev.jccl.algo.ChainPattern.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ChainPatternTest
{
    @Test
    void chainVisitsEveryRankOnceFromTheRoot()
    {
        for (int n = 1; n <= 9; n++)
        {
            for (int root = 0; root < n; root++)
            {
                assertEquals(-1, previous(root, root, n));
                int at = root;
                int hops = 0;
                while (next(at, root, n) >= 0)
                {
                    final int nxt = next(at, root, n);
                    assertEquals(at, previous(nxt, root, n));
                    at = nxt;
                    hops++;
                }
                assertEquals(n - 1, hops);
            }
        }
    }

    @Test
    void segmentCounts()
    {
        assertEquals(0, segments(0, 64));
        assertEquals(1, segments(1, 64));
        assertEquals(1, segments(64, 64));
        assertEquals(2, segments(65, 64));
    }

    @Test
    void disseminationInformsEveryone()
    {
        for (int n = 1; n <= 40; n++)
        {
            final BitSet[] knows = new BitSet[n];
            for (int r = 0; r < n; r++)
            {
                knows[r] = new BitSet();
                knows[r].set(r);
            }
            for (int k = 0; k < disseminationRounds(n); k++)
            {
                final BitSet[] next = new BitSet[n];
                for (int r = 0; r < n; r++)
                {
                    assertEquals(r, disseminationFrom(disseminationTo(r, k, n), k, n));
                    next[r] = (BitSet)knows[r].clone();
                    next[r].or(knows[disseminationFrom(r, k, n)]);
                }
                System.arraycopy(next, 0, knows, 0, n);
            }
            for (int r = 0; r < n; r++)
            {
                assertEquals(n, knows[r].cardinality(), "n=" + n);
            }
        }
    }
}
