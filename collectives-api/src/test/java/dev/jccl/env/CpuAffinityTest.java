package dev.jccl.env;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class CpuAffinityTest
{
    @TempDir
    Path dir;

    @Test
    void cpuListsParseRangesAndSingles()
    {
        assertEquals(List.of(0, 1, 2, 3, 8, 10, 11), CpuAffinity.parseList("0-3,8,10-11\n"));
        assertEquals(List.of(), CpuAffinity.parseList(" "));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CpuAffinity.parseList("0-x")).getMessage().contains("'0-x'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CpuAffinity.parseList("3-1")).getMessage().contains("'3-1'"));
    }

    @Test
    void aProcessBoundToOneOfTheMachinesCpusIsBound() throws IOException
    {
        final Path online = write("online", "0-1\n");
        final Path cgroup = write("cgroup", "0::/\n");
        assertTrue(CpuAffinity.boundToSubset(write("status", "Cpus_allowed_list:\t1\n"), cgroup, dir.resolve("fs"), online));
        assertFalse(CpuAffinity.boundToSubset(write("status", "Cpus_allowed_list:\t0-1\n"), cgroup, dir.resolve("fs"), online));
    }

    @Test
    void aContainersOwnCpusetIsNotABinding() throws IOException
    {
        // cgroup v2: the container may use CPUs 4-5 of a 64-CPU machine, and so may the process
        final Path fs = dir.resolve("fs");
        Files.createDirectories(fs.resolve("kubepods/pod1"));
        Files.writeString(fs.resolve("kubepods/pod1/cpuset.cpus.effective"), "4-5\n");
        final Path cgroup = write("cgroup", "0::/kubepods/pod1\n");
        final Path online = write("online", "0-63\n");
        assertFalse(CpuAffinity.boundToSubset(write("status", "Cpus_allowed_list:\t4-5\n"), cgroup, fs, online));
        assertTrue(CpuAffinity.boundToSubset(write("status", "Cpus_allowed_list:\t5\n"), cgroup, fs, online));
    }

    @Test
    void cgroupV1CpusetIsReadToo() throws IOException
    {
        final Path fs = dir.resolve("fs");
        Files.createDirectories(fs.resolve("cpuset/job"));
        Files.writeString(fs.resolve("cpuset/job/cpuset.effective_cpus"), "2-3\n");
        final Path cgroup = write("cgroup", "4:memory:/x\n3:cpuset:/job\n0::/\n");
        final Path online = write("online", "0-7\n");
        assertEquals(List.of(2, 3), CpuAffinity.containerCpus(Files.readAllLines(cgroup), fs, online));
        assertFalse(CpuAffinity.boundToSubset(write("status", "Cpus_allowed_list:\t2-3\n"), cgroup, fs, online));
    }

    @Test
    void unreadableFilesMeanNotBound()
    {
        assertFalse(CpuAffinity.boundToSubset(dir.resolve("no"), dir.resolve("no"), dir, dir.resolve("no")));
    }

    private Path write(final String name, final String text) throws IOException
    {
        return Files.writeString(dir.resolve(name), text);
    }
}
