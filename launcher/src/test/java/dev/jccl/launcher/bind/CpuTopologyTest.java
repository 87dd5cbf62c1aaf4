package dev.jccl.launcher.bind;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class CpuTopologyTest
{
    @TempDir
    Path dir;

    @Test
    void cpuListsParseRangesAndSingles()
    {
        assertEquals(List.of(0, 1, 2, 3, 8, 10, 11), CpuTopology.parseCpuList("0-3,8,10-11"));
        assertEquals(List.of(5), CpuTopology.parseCpuList("5"));
        assertEquals(List.of(), CpuTopology.parseCpuList(""));
    }

    @Test
    void aMalformedCpuListIsRejectedByName()
    {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CpuTopology.parseCpuList("0-x"))
            .getMessage().contains("'0-x'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CpuTopology.parseCpuList("3-1"))
            .getMessage().contains("'3-1'"));
    }

    @Test
    void siblingsOfOneCoreAreGroupedAndOnlyAllowedCpusCount() throws IOException
    {
        final Path status = dir.resolve("status");
        Files.writeString(status, "Name:\tjava\nCpus_allowed:\tf\nCpus_allowed_list:\t0-2\nMems_allowed_list:\t0\n");
        final Path sys = dir.resolve("cpu");
        siblings(sys, 0, "0,2");
        siblings(sys, 1, "1,3");
        siblings(sys, 2, "0,2");
        final CpuTopology t = CpuTopology.read(status, sys);
        assertEquals(List.of(List.of(0, 2), List.of(1)), t.cores());
    }

    @Test
    void withoutTopologyFilesEachCpuIsACore() throws IOException
    {
        final Path status = dir.resolve("status");
        Files.writeString(status, "Cpus_allowed_list:\t4,6\n");
        assertEquals(List.of(List.of(4), List.of(6)), CpuTopology.read(status, dir.resolve("missing")).cores());
    }

    @Test
    void anUnreadableAffinityGivesNoTopology()
    {
        assertNull(CpuTopology.read(dir.resolve("nothing"), dir));
    }

    @Test
    void thisProcessHasAtLeastOneCore()
    {
        final CpuTopology t = CpuTopology.ofThisProcess();
        org.junit.jupiter.api.Assumptions.assumeTrue(t != null, "no /proc/self/status here");
        assertTrue(t.coreCount() >= 1);
    }

    private static void siblings(final Path sys, final int cpu, final String list) throws IOException
    {
        final Path d = sys.resolve("cpu" + cpu).resolve("topology");
        Files.createDirectories(d);
        Files.writeString(d.resolve("thread_siblings_list"), list + "\n");
    }
}
