package dev.jccl.algo;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class HierarchyPatternTest
{
    private static final String[] TWO_BY_TWO = {"a", "a", "b", "b"};
    private static final String[] INTERLEAVED = {"a", "b", "a", "b"};
    private static final String[] UNEVEN = {"b", "a", "b", "b"};

    @Test
    void twoHostsOfTwoGroupByHostInRankOrder()
    {
        final HierarchyPattern p = new HierarchyPattern(TWO_BY_TWO, 3);
        assertEquals(2, p.hostCount());
        assertArrayEquals(new int[] {2, 3}, p.local());
        assertArrayEquals(new int[] {0, 2}, p.leaders());
        assertArrayEquals(new int[] {1, 3}, p.peers());
        assertEquals(1, p.localIndex(3));
        assertEquals(1, p.hostOf(2));
        assertTrue(p.uniform());
        assertTrue(p.worthwhile());
    }

    @Test
    void interleavedHostsKeepWorldOrderInsideEachHost()
    {
        final HierarchyPattern p = new HierarchyPattern(INTERLEAVED, 2);
        assertArrayEquals(new int[] {0, 2}, p.local());
        assertArrayEquals(new int[] {0, 1}, p.leaders());
        assertArrayEquals(new int[] {2, 3}, p.peers());
        assertEquals(1, p.localIndex(2));
        assertEquals(0, p.hostOf(2));
    }

    @Test
    void hostsAreNumberedByTheirLowestRankAndUnevenHostsAreNotUniform()
    {
        final HierarchyPattern p = new HierarchyPattern(UNEVEN, 1);
        assertEquals(0, p.hostOf(0), "host b holds rank 0, so it is host 0");
        assertEquals(1, p.hostOf(1));
        assertArrayEquals(new int[] {0, 1}, p.leaders());
        assertArrayEquals(new int[] {1}, p.local());
        assertArrayEquals(new int[] {0, 1}, p.peers(), "local index 0 exists on both hosts");
        assertArrayEquals(new int[] {3}, new HierarchyPattern(UNEVEN, 3).peers(), "local index 2 only on host b");
        assertFalse(p.uniform());
        assertEquals(3, p.maxRanksPerHost());
        assertTrue(p.worthwhile());
    }

    @Test
    void sliceOrderIsLocalIndexMajorHostMinor()
    {
        final HierarchyPattern p = new HierarchyPattern(TWO_BY_TWO, 0);
        // slice 0 = local rank 0 of hosts a, b (ranks 0, 2); slice 1 = ranks 1, 3.
        assertArrayEquals(new int[] {0, 2, 1, 3}, slicePositions(p));
        assertEquals(2, p.slicePosition(1));
        assertEquals(1, p.slicePosition(2));
        assertFalse(p.sliceOrderIsWorldOrder());
        assertTrue(p.hostOrderIsWorldOrder());
    }

    @Test
    void ranksDealtToHostsInTurnAreAlreadyInSliceOrder()
    {
        final HierarchyPattern p = new HierarchyPattern(new String[] {"a", "b", "c", "a", "b", "c"}, 4);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, slicePositions(p));
        assertTrue(p.sliceOrderIsWorldOrder());
        assertFalse(p.hostOrderIsWorldOrder());
        assertArrayEquals(new int[] {0, 3, 1, 4, 2, 5}, hostPositions(p));
        assertEquals(4, p.slicePosition(4));
    }

    @Test
    void everyRankHasExactlyOneSlicePositionAndItsInverse()
    {
        final String[] scattered = {"c", "a", "c", "b", "a", "b"};
        final HierarchyPattern p = new HierarchyPattern(scattered, 0);
        // hosts by lowest rank: c = {0, 2}, a = {1, 4}, b = {3, 5}.
        assertArrayEquals(new int[] {0, 1, 3, 2, 4, 5}, slicePositions(p));
        for (int r = 0; r < scattered.length; r++)
        {
            assertEquals(r, p.rankAtSlicePosition(p.slicePosition(r)), "rank " + r);
        }
        assertArrayEquals(new int[] {0, 2, 1, 4, 3, 5}, hostPositions(p));
        assertEquals(0, p.hostPosition(0));
        assertEquals(2, p.hostPosition(1));
        assertEquals(4, p.hostPosition(2));
        assertEquals(2, p.ranksOnHost(2));
    }

    @Test
    void unevenHostsHaveHostOrderButNoSliceOrder()
    {
        final HierarchyPattern p = new HierarchyPattern(UNEVEN, 1);
        // host b = {0, 2, 3}, host a = {1}.
        assertArrayEquals(new int[] {0, 2, 3, 1}, hostPositions(p));
        assertEquals(3, p.hostPosition(1));
        assertEquals(3, p.ranksOnHost(0));
        assertEquals(1, p.ranksOnHost(1));
        final IllegalStateException none = assertThrows(IllegalStateException.class, () -> p.rankAtSlicePosition(0));
        assertTrue(none.getMessage().contains("slice order"), none.getMessage());
        assertThrows(IllegalStateException.class, p::sliceOrderIsWorldOrder);
    }

    private static int[] slicePositions(final HierarchyPattern p)
    {
        final int[] ranks = new int[p.size()];
        for (int i = 0; i < ranks.length; i++)
        {
            ranks[i] = p.rankAtSlicePosition(i);
        }
        return ranks;
    }

    private static int[] hostPositions(final HierarchyPattern p)
    {
        final int[] ranks = new int[p.size()];
        for (int i = 0; i < ranks.length; i++)
        {
            ranks[i] = p.rankAtHostPosition(i);
        }
        return ranks;
    }

    @Test
    void oneHostOrOneRankPerHostIsNotWorthAHierarchy()
    {
        assertFalse(new HierarchyPattern(new String[] {"a", "a", "a"}, 0).worthwhile());
        assertFalse(new HierarchyPattern(new String[] {"a", "b", "c"}, 0).worthwhile());
        assertFalse(new HierarchyPattern(new String[] {"a"}, 0).worthwhile());
    }

    @Test
    void badInputIsNamed()
    {
        assertThrows(IllegalArgumentException.class, () -> new HierarchyPattern(new String[0], 0));
        final IllegalArgumentException outside = assertThrows(IllegalArgumentException.class, () -> new HierarchyPattern(TWO_BY_TWO, 4));
        assertTrue(outside.getMessage().contains("rank 4"), outside.getMessage());
        final IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
            () -> new HierarchyPattern(new String[] {"a", null}, 0));
        assertTrue(missing.getMessage().contains("rank 1"), missing.getMessage());
    }
}
