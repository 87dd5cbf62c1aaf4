package dev.jccl.launcher;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** jcclrun over a real sshd: 127.0.0.2 and 127.0.0.3 are two remote hosts with two slots each. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SshLaunchTest
{
    @TempDir
    static Path shared;
    @TempDir
    Path dir;

    static SshdFixture sshd;

    @BeforeAll
    static void startSshd() throws Exception
    {
        sshd = SshdFixture.start(shared.resolve("sshd"));
    }

    @AfterAll
    static void stopSshd() throws Exception
    {
        if (sshd != null)
        {
            sshd.close();
        }
    }

    private String[] args(final String... rest) throws Exception
    {
        final List<String> a = new ArrayList<>(List.of("--hostfile", sshd.hostfile().toString(), "--rsh", sshd.rsh(),
            "--launch-agent", SshdFixture.launchAgent(), "--rsh-retry-time", "10", "--grace-period", "2"));
        a.addAll(List.of(rest));
        return a.toArray(String[]::new);
    }

    @Test
    void fourRanksOnTwoRemoteHostsGetTheirEnvironmentAndTheTokenFile() throws Exception
    {
        final LauncherHarness.Result r = LauncherHarness.run(dir, args("--tag-output",
            "sh", "-c", "echo \"$RANK $LOCAL_RANK $LOCAL_WORLD_SIZE $WORLD_SIZE $MASTER_ADDR $(stat -c %a $JCCL_TOKEN_FILE) $(cat $JCCL_TOKEN_FILE)\";"
                + " echo to-stderr >&2"));
        assertEquals(0, r.code(), r::toString);
        final List<String> lines = r.out().lines().sorted().toList();
        assertEquals(4, lines.size(), r::toString);
        final String token = lines.get(0).split(" ")[6];
        assertTrue(token.matches("[0-9a-f]{64}"), token);
        for (int rank = 0; rank < 4; rank++)
        {
            assertEquals("[1," + rank + "]<stdout>:" + rank + " " + (rank % 2) + " 2 4 127.0.0.1 600 " + token, lines.get(rank), r::toString);
        }
        assertEquals(4, r.err().lines().filter(l -> l.matches("\\[1,[0-3]\\]<stderr>:to-stderr")).count(), r::toString);
    }

    @Test
    void fourRanksOnTwoRemoteHostsAllreduceThroughTheLaunchersStore() throws Exception
    {
        final List<String> rest = new ArrayList<>(List.of("--timeout", "30"));
        rest.addAll(JcclrunProcess.allReduceRank());
        final LauncherHarness.Result r = LauncherHarness.run(dir, args(rest.toArray(String[]::new)));
        assertEquals(0, r.code(), r::toString);
        assertEquals(4, r.out().lines().filter(l -> l.matches("rank [0-3] of 4 allreduce ok 10.0")).count(), r::toString);
    }

    /**
     * The two loopback "hosts" are two hosts to the ranks too (jcclrun sets JCCL_HOST_NAME from
     * the hostfile): auto routes shm inside each and TCP between them, and 4 MiB takes the
     * hierarchical allreduce.
     */
    @Test
    void twoLoopbackHostsOfTwoRouteShmInsideAndTcpBetweenAndAllreduceRight() throws Exception
    {
        final List<String> rest = new ArrayList<>(List.of("--timeout", "60", "-x", "JCCL_TRANSPORT=auto"));
        rest.addAll(JcclrunProcess.allReduceRank());
        rest.add(Integer.toString(1 << 20));
        final LauncherHarness.Result r = LauncherHarness.run(dir, args(rest.toArray(String[]::new)));
        assertEquals(0, r.code(), r::toString);
        assertEquals(4, r.out().lines().filter(l -> l.matches("rank [0-3] of 4 allreduce ok 10.0")).count(), r::toString);
        assertEquals(4, r.out().lines().filter(l -> l.matches("rank [0-3] transport shm\\+tcp")).count(), r::toString);
    }

    /** Each remote host's agent binds its own two ranks (local ranks 0 and 1 of each host). */
    @Test
    void remoteRanksAreBoundByTheirHostsAgent() throws Exception
    {
        final dev.jccl.launcher.bind.CpuTopology host = RankBindingLaunchTest.hostWithTwoCoresAndTaskset();
        final LauncherHarness.Result r = LauncherHarness.run(dir, args("--tag-output", "--report-bindings",
            "sh", "-c", "echo \"$(grep Cpus_allowed_list /proc/self/status | cut -f2)\""));
        assertEquals(0, r.code(), r::toString);
        for (int rank = 0; rank < 4; rank++)
        {
            final dev.jccl.launcher.bind.CpuBinding expected =
                dev.jccl.launcher.bind.CpuBinding.of(dev.jccl.launcher.bind.BindTo.SHARE, host, rank % 2, 2);
            final String prefix = "[1," + rank + "]<stdout>:";
            final String line = r.out().lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
            assertEquals(expected.cpus(), dev.jccl.launcher.bind.CpuTopology.parseCpuList(line.substring(prefix.length()).trim()), r::toString);
            final String said = "[1," + rank + "]<stderr>:jcclrun: rank " + rank + " (pid ";
            assertTrue(r.err().lines().anyMatch(l -> l.startsWith(said) && l.endsWith(expected.description())), r::toString);
        }
    }

    @Test
    void aFailingRemoteRankStopsTheJobAndNamesItsHost() throws Exception
    {
        final LauncherHarness.Result r = LauncherHarness.run(dir, args(
            "sh", "-c", "if [ \"$RANK\" = 3 ]; then sleep 0.5; exit 7; fi; exec sleep 30"));
        assertEquals(7, r.code(), r::toString);
        assertTrue(Pattern.compile("jcclrun: rank 3 \\(host 127\\.0\\.0\\.3, pid \\d+\\) exited with code 7").matcher(r.err()).find(), r::toString);
        assertTrue(r.millis() < 20_000, r::toString);
    }

    @Test
    void sigkillToJcclrunLeavesNoRemoteRankRunning() throws Exception
    {
        final Process jcclrun = JcclrunProcess.start(dir, LauncherHarness.cleanEnv(), args(
            "sh", "-c", "echo $$ > " + dir + "/rank-pid.$RANK.tmp && mv " + dir + "/rank-pid.$RANK.tmp " + dir + "/rank-pid.$RANK; exec sleep 60"));
        List<Long> pids = new ArrayList<>();
        try
        {
            pids = JcclrunProcess.awaitPidFiles(dir, "rank-pid.", 4, 30_000);
            jcclrun.destroyForcibly();
            assertTrue(jcclrun.waitFor(10, TimeUnit.SECONDS));
            assertTrue(JcclrunProcess.allGone(pids, 15_000), "remote ranks outlived jcclrun: " + pids);
        }
        finally
        {
            JcclrunProcess.killAll(pids, jcclrun);
        }
    }

    @Test
    void anUnreachableHostFailsAfterTheBoundedRetryNamingIt() throws Exception
    {
        final Path hostfile = Files.writeString(dir.resolve("hosts"), "127.0.0.4 slots=1\n");
        final long start = System.nanoTime();
        final LauncherHarness.Result r = LauncherHarness.run(dir, LauncherHarness.cleanEnv(), l -> { },
            "--hostfile", hostfile.toString(), "--rsh", sshd.rsh(), "--launch-agent", SshdFixture.launchAgent(),
            "--rsh-retry-time", "2", "true");
        final long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(255, r.code(), r::toString);
        assertTrue(r.err().contains("cannot reach host 127.0.0.4"), r::toString);
        assertTrue(r.err().contains("retrying in"), r::toString);
        assertTrue(millis >= 2000 && millis < 15_000, r::toString);
    }

    @Test
    void aMissingProgramOnARemoteHostExits127() throws Exception
    {
        final LauncherHarness.Result r = LauncherHarness.run(dir, args("-np", "2", "no-such-program-jccl"));
        assertEquals(127, r.code(), r::toString);
        assertTrue(r.err().contains("host 127.0.0.2") && r.err().contains("not found"), r::toString);
    }

    static Map<String, String> env()
    {
        return LauncherHarness.cleanEnv();
    }
}
