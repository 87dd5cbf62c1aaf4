package dev.jccl.algo;

import org.junit.jupiter.api.Test;

import java.util.BitSet;

import static dev.jccl.algo.BruckPattern.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BruckPatternTest
{
    @Test
    void stepCounts()
    {
        assertEquals(0, steps(1));
        assertEquals(1, steps(2));
        assertEquals(2, steps(3));
        assertEquals(2, steps(4));
        assertEquals(3, steps(5));
        assertEquals(3, steps(8));
        assertEquals(4, steps(9));
        assertEquals(1, blocks(1, 3));
        assertEquals(2, blocks(1, 4));
        assertEquals(1, blocks(2, 5));
    }

    /** Simulates which blocks each rank holds: sends only held blocks, receives only missing ones, ends complete. */
    @Test
    void everyRankEndsWithEveryBlockExactlyOnce()
    {
        for (int n = 1; n <= 40; n++)
        {
            final BitSet[] held = new BitSet[n];
            for (int r = 0; r < n; r++)
            {
                held[r] = new BitSet();
                held[r].set(r);
            }
            for (int s = 0; s < steps(n); s++)
            {
                final BitSet[] incoming = new BitSet[n];
                for (int r = 0; r < n; r++)
                {
                    final int to = sendPeer(r, s, n);
                    assertEquals(r, recvPeer(to, s, n));
                    assertEquals(sendFirstBlock(r), recvFirstBlock(to, s, n));
                    final BitSet msg = new BitSet();
                    for (int i = 0; i < blocks(s, n); i++)
                    {
                        final int b = (sendFirstBlock(r) + i) % n;
                        assertTrue(held[r].get(b), "n=" + n + " step " + s + ": rank " + r + " sends block " + b + " it lacks");
                        msg.set(b);
                    }
                    incoming[to] = msg;
                }
                for (int r = 0; r < n; r++)
                {
                    assertFalse(held[r].intersects(incoming[r]), "received a block twice");
                    held[r].or(incoming[r]);
                }
            }
            for (int r = 0; r < n; r++)
            {
                assertEquals(n, held[r].cardinality(), "n=" + n + " rank " + r);
            }
        }
    }

    @Test
    void wrappingRunsSplitInTwo()
    {
        assertEquals(2, firstPieceBlocks(5, 4, 7));
        assertEquals(4, firstPieceBlocks(1, 4, 7));
        assertEquals(1, firstPieceBlocks(6, 1, 7));
    }
}
