package dev.jccl.launcher.plan;

import dev.jccl.launcher.CommandLine;
import dev.jccl.launcher.LaunchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class HostPlanTest
{
    @TempDir
    Path dir;

    private HostPlan plan(final Map<String, String> env, final String... args)
    {
        return HostPlan.resolve(CommandLine.parse(args), env, 3, dir.resolve("etc-mpi-hostfile"));
    }

    private static List<String> hostsOf(final HostPlan plan)
    {
        return plan.ranks().stream().map(RankSlot::host).toList();
    }

    @Test
    void withoutHostsOrHostfilesRunsOneRankPerLocalCpu()
    {
        final HostPlan p = plan(Map.of(), "prog");
        assertEquals(3, p.worldSize());
        assertEquals(List.of("localhost", "localhost", "localhost"), hostsOf(p));
        assertEquals(new RankSlot(2, "localhost", 2, 3), p.ranks().get(2));
    }

    @Test
    void mapBySlotFillsHostsInTurnAndMapByNodeDealsRoundRobin()
    {
        assertEquals(List.of("a", "a", "b", "b"), hostsOf(plan(Map.of(), "-H", "a:2,b:2", "prog")));
        assertEquals(List.of("a", "b", "a", "b"), hostsOf(plan(Map.of(), "-H", "a:2,b:2", "--map-by", "node", "prog")));
        final HostPlan p = plan(Map.of(), "-np", "3", "-H", "a:2,b:2", "prog");
        assertEquals(List.of(new RankSlot(0, "a", 0, 2), new RankSlot(1, "a", 1, 2), new RankSlot(2, "b", 0, 1)), p.ranks());
    }

    @Test
    void tooManyRanksWithoutOversubscribeNamesTheCounts()
    {
        final LaunchException e = assertThrows(LaunchException.class, () -> plan(Map.of(), "-np", "5", "-H", "a:2,b:2", "prog"));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().contains("5 ranks requested but only 4 slots"), e.getMessage());
    }

    @Test
    void oversubscribeKeepsSlotRanksContiguousAndRespectsMaxSlots() throws Exception
    {
        assertEquals(List.of("a", "a", "a", "b", "b", "b"),
            hostsOf(plan(Map.of(), "-np", "6", "-H", "a:2,b:2", "--oversubscribe", "prog")));
        final Path f = Files.writeString(dir.resolve("h"), "a slots=1 max_slots=2\nb slots=1 max_slots=2\n");
        assertEquals(4, plan(Map.of(), "-np", "4", "--hostfile", f.toString(), "--oversubscribe", "prog").worldSize());
        final LaunchException e = assertThrows(LaunchException.class,
            () -> plan(Map.of(), "-np", "5", "--hostfile", f.toString(), "--oversubscribe", "prog"));
        assertTrue(e.getMessage().contains("max_slots"), e.getMessage());
    }

    @Test
    void defaultHostfileOrderIsFlagThenOmpiThenPrteThenSystemFile() throws Exception
    {
        final Path flag = Files.writeString(dir.resolve("flag"), "f1 slots=1\n");
        final Path ompi = Files.writeString(dir.resolve("ompi"), "o1 slots=1\n");
        final Path prte = Files.writeString(dir.resolve("prte"), "p1 slots=1\n");
        Files.writeString(dir.resolve("etc-mpi-hostfile"), "e1 slots=1\n");
        final Map<String, String> both = Map.of("OMPI_MCA_orte_default_hostfile", ompi.toString(),
            "PRTE_MCA_prte_default_hostfile", prte.toString());
        assertEquals(List.of("f1"), hostsOf(plan(both, "--hostfile", flag.toString(), "prog")));
        assertEquals(List.of("o1"), hostsOf(plan(both, "prog")));
        assertEquals(List.of("p1"), hostsOf(plan(Map.of("PRTE_MCA_prte_default_hostfile", prte.toString()), "prog")));
        assertEquals(List.of("e1"), hostsOf(plan(Map.of(), "prog")));
    }

    @Test
    void aHostfileNamedByTheEnvironmentButMissingIsAnErrorNotALocalRun()
    {
        final LaunchException e = assertThrows(LaunchException.class,
            () -> plan(Map.of("OMPI_MCA_orte_default_hostfile", dir.resolve("gone").toString()), "prog"));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().contains("gone") && e.getMessage().contains("OMPI_MCA_orte_default_hostfile"), e.getMessage());
    }

    @Test
    void ranksByHostGroupsInRankOrder()
    {
        final Map<String, List<RankSlot>> byHost = plan(Map.of(), "-H", "a:2,b:2", "--map-by", "node", "prog").ranksByHost();
        assertEquals(List.of("a", "b"), List.copyOf(byHost.keySet()));
        assertEquals(List.of(0, 2), byHost.get("a").stream().map(RankSlot::rank).toList());
        assertEquals(List.of(0, 1), byHost.get("b").stream().map(RankSlot::localRank).toList());
    }
}
