package dev.jccl.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static dev.jccl.launcher.LauncherHarness.run;
import static org.junit.jupiter.api.Assertions.*;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalLaunchTest
{
    @TempDir
    Path dir;

    @Test
    void fourRanksThatSucceedGiveExitZeroAndAllTheirOutput()
    {
        final LauncherHarness.Result r = run(dir, "-np", "4", "-H", "localhost:4", "sh", "-c", "echo hello from $RANK");
        assertEquals(0, r.code(), r::toString);
        final List<String> lines = r.out().lines().sorted().toList();
        assertEquals(List.of("hello from 0", "hello from 1", "hello from 2", "hello from 3"), lines, r::toString);
        assertEquals("", r.err(), r::toString);
    }

    @Test
    void aRankExitingWithThreeStopsTheOthersAndJcclrunExitsThreeNamingTheRank()
    {
        final LauncherHarness.Result r = run(dir, "-np", "4", "-H", "localhost:4", "--grace-period", "2",
            "sh", "-c", "if [ \"$RANK\" = 1 ]; then exit 3; fi; exec sleep 30");
        assertEquals(3, r.code(), r::toString);
        assertTrue(Pattern.compile("jcclrun: rank 1 \\(host localhost, pid \\d+\\) exited with code 3\n").matcher(r.err()).find(), r::toString);
        assertTrue(r.millis() < 5000, r::toString);
        assertEquals(1, r.err().lines().filter(l -> l.contains("exited with code")).count(), r::toString);
    }

    @Test
    void aRankKilledBySigkillGives137AndSaysSignal9()
    {
        final LauncherHarness.Result r = run(dir, "-np", "3", "-H", "localhost:3",
            "sh", "-c", "if [ \"$RANK\" = 2 ]; then kill -9 $$; fi; exec sleep 30");
        assertEquals(137, r.code(), r::toString);
        assertTrue(r.err().contains("rank 2 (host localhost, pid ") && r.err().contains("killed by signal 9 (SIGKILL)"), r::toString);
    }

    @Test
    void aRankIgnoringSigtermIsKilledAfterTheGracePeriod()
    {
        final LauncherHarness.Result r = run(dir, "-np", "2", "-H", "localhost:2", "--grace-period", "0.5",
            "sh", "-c", "if [ \"$RANK\" = 0 ]; then sleep 0.3; exit 5; fi; trap '' TERM; sleep 30; echo survived");
        assertEquals(5, r.code(), r::toString);
        assertFalse(r.out().contains("survived"), r::toString);
        assertTrue(r.millis() < 8000, r::toString);
    }

    @Test
    void timeoutStopsEverythingAndExits124()
    {
        final LauncherHarness.Result r = run(dir, "-np", "2", "-H", "localhost:2", "--timeout", "1", "--grace-period", "1", "sleep", "30");
        assertEquals(124, r.code(), r::toString);
        assertTrue(r.err().contains("jcclrun: timeout after 1 s"), r::toString);
        assertTrue(r.millis() < 6000, r::toString);
    }

    @Test
    void aForwardedSigtermStopsTheRanksAndExits143()
    {
        final LauncherHarness.Result r = run(dir, LauncherHarness.cleanEnv(), launcher ->
        {
            final Thread t = new Thread(() ->
            {
                sleepQuietly(700);
                launcher.signal(15);
            });
            t.setDaemon(true);
            t.start();
        }, "-np", "2", "-H", "localhost:2", "sleep", "30");
        assertEquals(143, r.code(), r::toString);
        assertTrue(r.err().contains("received SIGTERM"), r::toString);
    }

    @Test
    void aMissingProgramExits127WithAMessage()
    {
        final LauncherHarness.Result r = run(dir, "-np", "2", "-H", "localhost:2", "no-such-program-jccl");
        assertEquals(127, r.code(), r::toString);
        assertTrue(r.err().contains("no-such-program-jccl") && r.err().contains("not found"), r::toString);
        final LauncherHarness.Result abs = run(dir, "-np", "1", "-H", "localhost", "./nope.sh");
        assertEquals(127, abs.code(), abs::toString);
    }

    @Test
    void aMissingOrEmptyHostfileExits2NamingIt() throws Exception
    {
        final LauncherHarness.Result missing = run(dir, "--hostfile", dir.resolve("hosts").toString(), "true");
        assertEquals(2, missing.code(), missing::toString);
        assertTrue(missing.err().contains(dir.resolve("hosts").toString()), missing::toString);
        final Path empty = Files.writeString(dir.resolve("empty"), "\n# nothing\n");
        final Map<String, String> env = LauncherHarness.cleanEnv();
        env.put("OMPI_MCA_orte_default_hostfile", empty.toString());
        final LauncherHarness.Result fromEnv = run(dir, env, l -> { }, "true");
        assertEquals(2, fromEnv.code(), fromEnv::toString);
        assertTrue(fromEnv.err().contains(empty.toString()), fromEnv::toString);
    }

    @Test
    void tooManyRanksForTheSlotsIsAnErrorNamingTheCounts()
    {
        final LauncherHarness.Result r = run(dir, "-np", "3", "-H", "localhost:2", "true");
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().contains("3 ranks requested but only 2 slots"), r::toString);
    }

    @Test
    void eachRankGetsTheDocumentedEnvironment()
    {
        final String show = "echo \"$RANK|$WORLD_SIZE|$LOCAL_RANK|$LOCAL_WORLD_SIZE|$JCCL_RANK|$JCCL_WORLD_SIZE|$JCCL_LOCAL_RANK"
            + "|$JCCL_LOCAL_WORLD_SIZE|$OMPI_COMM_WORLD_RANK|$OMPI_COMM_WORLD_SIZE|$OMPI_COMM_WORLD_LOCAL_RANK|$OMPI_COMM_WORLD_LOCAL_SIZE"
            + "|$JCCL_STORE|$MASTER_ADDR:$MASTER_PORT|$JCCL_RUN_ID|$(stat -c %a \"$JCCL_TOKEN_FILE\")|$(wc -c < \"$JCCL_TOKEN_FILE\")"
            + "|$FOO|$JCCL_TEST_PASSED\"";
        final Map<String, String> env = LauncherHarness.cleanEnv();
        env.put("JCCL_TEST_PASSED", "from-launcher");
        final LauncherHarness.Result r = run(dir, env, l -> { },
            "-np", "3", "-H", "localhost:3", "-x", "FOO=bar baz", "-x", "JCCL_TEST_PASSED", "sh", "-c", show);
        assertEquals(0, r.code(), r::toString);
        final List<String[]> rows = r.out().lines().sorted().map(l -> l.split("\\|", -1)).toList();
        assertEquals(3, rows.size(), r::toString);
        for (int i = 0; i < 3; i++)
        {
            final String[] f = rows.get(i);
            final String n = Integer.toString(i);
            assertEquals(List.of(n, "3", n, "3", n, "3", n, "3", n, "3", n, "3"), Arrays.asList(f).subList(0, 12), r::toString);
            assertEquals(f[12], f[13], "JCCL_STORE is MASTER_ADDR:MASTER_PORT");
            assertTrue(f[12].matches("127\\.0\\.0\\.1:\\d+"), f[12]);
            assertTrue(f[14].startsWith("jccl-"), f[14]);
            assertEquals("600", f[15], "token file mode");
            assertEquals("65", f[16].strip(), "token is 256 bits in hex plus a newline");
            assertEquals("bar baz", f[17]);
            assertEquals("from-launcher", f[18]);
            assertEquals(rows.get(0)[14], f[14], "one run id for the job");
        }
    }

    @Test
    void tagOutputPrefixesLinesLikeMpirun()
    {
        final LauncherHarness.Result r = run(dir, "-np", "2", "-H", "localhost:2", "--tag-output",
            "sh", "-c", "echo out$RANK; echo err$RANK >&2; printf partial$RANK");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("[1,0]<stdout>:out0\n") && r.out().contains("[1,1]<stdout>:out1\n"), r::toString);
        assertTrue(r.out().contains("[1,1]<stdout>:partial1\n"), r::toString);
        assertTrue(r.err().contains("[1,0]<stderr>:err0\n") && r.err().contains("[1,1]<stderr>:err1\n"), r::toString);
    }

    @Test
    void linesFromManyRanksNeverInterleaveMidLine()
    {
        final String body = "x".repeat(3000);
        final LauncherHarness.Result r = run(dir, "-np", "4", "-H", "localhost:4",
            "sh", "-c", "i=0; while [ $i -lt 300 ]; do echo \"begin-$RANK-" + body + "-end\"; i=$((i+1)); done");
        assertEquals(0, r.code(), r::toString);
        final List<String> lines = r.out().lines().toList();
        assertEquals(1200, lines.size());
        final Pattern whole = Pattern.compile("begin-[0-3]-x{3000}-end");
        for (final String line : lines)
        {
            assertTrue(whole.matcher(line).matches(), () -> "mixed line: " + line.substring(0, Math.min(80, line.length())));
        }
    }

    @Test
    void fourLocalRanksJoinThroughTheStoreAndAllreduce()
    {
        final List<String> args = new java.util.ArrayList<>(List.of("-np", "4", "-H", "localhost:4", "--timeout", "30"));
        args.addAll(JcclrunProcess.allReduceRank());
        final LauncherHarness.Result r = run(dir, args.toArray(String[]::new));
        assertEquals(0, r.code(), r::toString);
        assertEquals(4, r.out().lines().filter(l -> l.matches("rank [0-3] of 4 allreduce ok 10.0")).count(), r::toString);
    }

    static void sleepQuietly(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }
}
