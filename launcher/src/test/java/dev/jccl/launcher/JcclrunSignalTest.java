package dev.jccl.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** jcclrun as a real process: what happens to the ranks when jcclrun itself is signalled. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JcclrunSignalTest
{
    @TempDir
    Path dir;

    private static final String RANK = "echo $$ > rank-pid.$RANK.tmp && mv rank-pid.$RANK.tmp rank-pid.$RANK; exec sleep 60";

    @Test
    void sigtermToJcclrunStopsEveryRankAndExits143() throws Exception
    {
        final Process jcclrun = JcclrunProcess.start(dir, LauncherHarness.cleanEnv(), "-np", "3", "-H", "localhost:3",
            "--grace-period", "2", "sh", "-c", RANK);
        List<Long> pids = new ArrayList<>();
        try
        {
            pids = JcclrunProcess.awaitPidFiles(dir, "rank-pid.", 3, 20_000);
            jcclrun.destroy(); // SIGTERM
            assertTrue(jcclrun.waitFor(15, TimeUnit.SECONDS), "jcclrun did not exit after SIGTERM");
            final String err = JcclrunProcess.read(dir.resolve("jcclrun.err"));
            assertEquals(143, jcclrun.exitValue(), err);
            assertTrue(err.contains("received SIGTERM"), err);
            assertTrue(JcclrunProcess.allGone(pids, 1000), "ranks left running: " + pids);
        }
        finally
        {
            JcclrunProcess.killAll(pids, jcclrun);
        }
    }

    @Test
    void sigkillToJcclrunTakesItsLocalRanksWithIt() throws Exception
    {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(Path.of("/usr/bin/setpriv")),
            "needs util-linux setpriv (parent-death signal); without it local ranks outlive a SIGKILLed jcclrun");
        final Process jcclrun = JcclrunProcess.start(dir, LauncherHarness.cleanEnv(), "-np", "2", "-H", "localhost:2", "sh", "-c", RANK);
        List<Long> pids = new ArrayList<>();
        try
        {
            pids = JcclrunProcess.awaitPidFiles(dir, "rank-pid.", 2, 20_000);
            jcclrun.destroyForcibly(); // SIGKILL: no handler, no shutdown hook runs
            assertTrue(jcclrun.waitFor(10, TimeUnit.SECONDS));
            assertTrue(JcclrunProcess.allGone(pids, 5000), "ranks outlived jcclrun: " + pids);
        }
        finally
        {
            JcclrunProcess.killAll(pids, jcclrun);
        }
    }
}
