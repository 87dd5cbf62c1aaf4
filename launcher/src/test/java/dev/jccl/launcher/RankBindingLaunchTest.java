package dev.jccl.launcher;

import dev.jccl.launcher.bind.BindTo;
import dev.jccl.launcher.bind.CpuBinding;
import dev.jccl.launcher.bind.CpuTopology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.jccl.launcher.LauncherHarness.run;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Real ranks read their own affinity from /proc: what jcclrun's --bind-to did, not what it says it did. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RankBindingLaunchTest
{
    private static final String SHOW_AFFINITY = "echo \"$RANK $(grep Cpus_allowed_list /proc/self/status | cut -f2)\"";

    @TempDir
    Path dir;

    @Test
    void twoRanksRunOnTheirOwnShareOfTheCoresAndSaySo()
    {
        final CpuTopology host = hostWithTwoCoresAndTaskset();
        final LauncherHarness.Result r = run(dir, "-np", "2", "-H", "localhost:2", "--report-bindings", "sh", "-c", SHOW_AFFINITY);
        assertEquals(0, r.code(), r::toString);
        for (int rank = 0; rank < 2; rank++)
        {
            final CpuBinding expected = CpuBinding.of(BindTo.SHARE, host, rank, 2);
            assertEquals(expected.cpus(), affinityOf(r, rank), r::toString);
            final String said = "jcclrun: rank " + rank + " (pid ";
            assertTrue(r.err().lines().anyMatch(l -> l.startsWith(said) && l.endsWith(") " + expected.description())), r::toString);
        }
        assertNotEquals(affinityOf(r, 0), affinityOf(r, 1), r::toString);
    }

    @Test
    void bindToCoreGivesEachRankOneCore()
    {
        final CpuTopology host = hostWithTwoCoresAndTaskset();
        final LauncherHarness.Result r = run(dir, "-np", "2", "-H", "localhost:2", "--bind-to", "core", "sh", "-c", SHOW_AFFINITY);
        assertEquals(0, r.code(), r::toString);
        assertEquals(host.cores().get(0), affinityOf(r, 0), r::toString);
        assertEquals(host.cores().get(1), affinityOf(r, 1), r::toString);
        assertEquals("", r.err(), r::toString);
    }

    @Test
    void bindToNoneAndOversubscribedRanksKeepEveryCpu()
    {
        final CpuTopology host = hostWithTwoCoresAndTaskset();
        final List<Integer> all = host.cores().stream().flatMap(List::stream).sorted().toList();
        final LauncherHarness.Result none = run(dir, "-np", "2", "-H", "localhost:2", "--bind-to", "none", "sh", "-c", SHOW_AFFINITY);
        assertEquals(0, none.code(), none::toString);
        assertEquals(all, affinityOf(none, 1), none::toString);
        final int over = host.coreCount() + 1;
        final LauncherHarness.Result many = run(dir, "-np", Integer.toString(over), "-H", "localhost:" + over, "--report-bindings",
            "sh", "-c", SHOW_AFFINITY);
        assertEquals(0, many.code(), many::toString);
        assertEquals(all, affinityOf(many, 0), many::toString);
        assertTrue(many.err().contains("not bound (" + over + " ranks on " + host.coreCount() + " cores)"), many::toString);
    }

    @Test
    void anUnknownBindingIsAUsageErrorNamingIt()
    {
        final LauncherHarness.Result r = run(dir, "-np", "2", "--bind-to", "socket", "true");
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().contains("--bind-to socket: expected share, core or none"), r::toString);
    }

    static CpuTopology hostWithTwoCoresAndTaskset()
    {
        final CpuTopology host = CpuTopology.ofThisProcess();
        assumeTrue(host != null && host.coreCount() >= 2, "binding needs Linux affinity and at least 2 cores");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/taskset")), "no /usr/bin/taskset (util-linux)");
        return host;
    }

    static List<Integer> affinityOf(final LauncherHarness.Result r, final int rank)
    {
        final String line = r.out().lines().filter(l -> l.startsWith(rank + " ")).findFirst()
            .orElseThrow(() -> new AssertionError("no output from rank " + rank + ": " + r));
        return CpuTopology.parseCpuList(line.substring(line.indexOf(' ') + 1).trim());
    }
}
