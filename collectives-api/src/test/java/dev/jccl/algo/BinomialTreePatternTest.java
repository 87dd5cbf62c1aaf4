package dev.jccl.algo;

import org.junit.jupiter.api.Test;

import static dev.jccl.algo.BinomialTreePattern.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BinomialTreePatternTest
{
    @Test
    void knownTreeOfEight()
    {
        assertEquals(3, childCount(0, 8));
        assertEquals(4, child(0, 8, 0));
        assertEquals(2, child(0, 8, 1));
        assertEquals(1, child(0, 8, 2));
        assertEquals(6, child(4, 8, 0));
        assertEquals(5, child(4, 8, 1));
        assertEquals(0, childCount(5, 8));
        assertEquals(4, parent(6));
        assertEquals(-1, parent(0));
        assertEquals(4, subtreeSize(4, 8));
        assertEquals(2, subtreeSize(4, 6));
        assertThrows(IndexOutOfBoundsException.class, () -> child(5, 8, 0));
    }

    @Test
    void everyTreeIsSpanningAndConsistent()
    {
        for (int n = 1; n <= 70; n++)
        {
            final int[] seen = new int[n];
            int total = 0;
            for (int v = 0; v < n; v++)
            {
                int sum = 1;
                int prev = Integer.MAX_VALUE;
                for (int i = 0; i < childCount(v, n); i++)
                {
                    final int c = child(v, n, i);
                    assertTrue(c > v && c < n);
                    assertTrue(prev == Integer.MAX_VALUE || c < prev, "largest subtree first");
                    prev = c;
                    assertEquals(v, parent(c));
                    seen[c]++;
                    total++;
                    sum += subtreeSize(c, n);
                }
                assertEquals(subtreeSize(v, n), sum, "n=" + n + " v=" + v);
            }
            assertEquals(n - 1, total);
            for (int v = 1; v < n; v++)
            {
                assertEquals(1, seen[v]);
            }
            assertEquals(n, subtreeSize(0, n));
        }
    }

    @Test
    void virtualRanksRotateAroundTheRoot()
    {
        for (int n = 1; n <= 9; n++)
        {
            for (int root = 0; root < n; root++)
            {
                assertEquals(0, virtualRank(root, root, n));
                for (int r = 0; r < n; r++)
                {
                    assertEquals(r, realRank(virtualRank(r, root, n), root, n));
                }
            }
        }
    }
}
