package dev.jccl.launcher.bind;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class CpuBindingTest
{
    private static CpuTopology singleThreaded(final int cores)
    {
        return new CpuTopology(java.util.stream.IntStream.range(0, cores).mapToObj(List::of).toList());
    }

    @Test
    void twoRanksOnTwoCoresGetOneCoreEach()
    {
        final CpuTopology two = singleThreaded(2);
        assertEquals(List.of(0), CpuBinding.of(BindTo.SHARE, two, 0, 2).cpus());
        assertEquals(List.of(1), CpuBinding.of(BindTo.SHARE, two, 1, 2).cpus());
        assertEquals("bound to core 1 (CPUs 1)", CpuBinding.of(BindTo.CORE, two, 1, 2).description());
    }

    @Test
    void shareSplitsTheCoresIntoContiguousRunsTheFirstOnesLonger()
    {
        final CpuTopology five = singleThreaded(5);
        assertEquals("0,1,2", CpuBinding.of(BindTo.SHARE, five, 0, 2).cpuList());
        assertEquals("3,4", CpuBinding.of(BindTo.SHARE, five, 1, 2).cpuList());
        assertEquals("bound to cores 3-4 (CPUs 3,4)", CpuBinding.of(BindTo.SHARE, five, 1, 2).description());
        final CpuTopology seven = singleThreaded(7);
        final StringBuilder all = new StringBuilder();
        for (int r = 0; r < 3; r++)
        {
            all.append(CpuBinding.of(BindTo.SHARE, seven, r, 3).cpuList()).append('|');
        }
        assertEquals("0,1,2|3,4|5,6|", all.toString());
    }

    @Test
    void aSingleRankKeepsEveryCoreUnderShareButOneUnderCore()
    {
        final CpuTopology four = singleThreaded(4);
        assertEquals(List.of(0, 1, 2, 3), CpuBinding.of(BindTo.SHARE, four, 0, 1).cpus());
        assertEquals(List.of(0), CpuBinding.of(BindTo.CORE, four, 0, 1).cpus());
    }

    @Test
    void ranksThatOutnumberTheCoresAreNotBound()
    {
        final CpuBinding b = CpuBinding.of(BindTo.SHARE, singleThreaded(2), 3, 4);
        assertFalse(b.bound());
        assertEquals("not bound (4 ranks on 2 cores)", b.description());
        assertFalse(CpuBinding.of(BindTo.CORE, singleThreaded(2), 0, 3).bound());
    }

    @Test
    void noneAndAnUnknownTopologyBindNothing()
    {
        assertEquals("not bound (--bind-to none)", CpuBinding.of(BindTo.NONE, singleThreaded(2), 0, 2).description());
        assertFalse(CpuBinding.of(BindTo.SHARE, null, 0, 2).bound());
    }

    @Test
    void hardwareThreadsOfOneCoreStayTogether()
    {
        final CpuTopology smt = new CpuTopology(List.of(List.of(0, 2), List.of(1, 3)));
        assertEquals("0,2", CpuBinding.of(BindTo.CORE, smt, 0, 2).cpuList());
        assertEquals("1,3", CpuBinding.of(BindTo.SHARE, smt, 1, 2).cpuList());
    }

    @Test
    void aLocalRankOutsideTheHostIsRejected()
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> CpuBinding.of(BindTo.SHARE, singleThreaded(2), 2, 2));
        assertEquals("local rank 2 is outside 0..1", e.getMessage());
    }

    @Test
    void bindToParsesItsThreeValuesAndNamesABadOne()
    {
        assertEquals(BindTo.CORE, BindTo.parse("Core"));
        assertEquals(BindTo.NONE, BindTo.parse("none"));
        assertEquals(BindTo.SHARE, BindTo.parse("share"));
        assertEquals("--bind-to socket: expected share, core or none",
            assertThrows(IllegalArgumentException.class, () -> BindTo.parse("socket")).getMessage());
    }
}
