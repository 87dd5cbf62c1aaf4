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
