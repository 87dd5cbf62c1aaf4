package dev.jccl.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.jccl.launcher.LauncherHarness.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ranks that misbehave with their output: the launcher keeps relaying, in bounded memory, and the job's outcome stands. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RankOutputTest
{
    @TempDir
    Path dir;

    @Test
    void aRankThatClosesItsStdoutEarlyKeepsRunningAndTheJobSucceeds()
    {
        final LauncherHarness.Result r = run(dir, "-np", "3", "-H", "localhost:3",
            "sh", "-c", "if [ \"$RANK\" = 1 ]; then exec 1>&- 2>&-; sleep 1; exit 0; fi; sleep 1.5; echo rank $RANK still here");
        assertEquals(0, r.code(), r::toString);
        assertEquals(List.of("rank 0 still here", "rank 2 still here"), r.out().lines().sorted().toList(), r::toString);
    }

    @Test
    void aRankWhoseOutputClosesAndThenFailsIsStillReported()
    {
        final LauncherHarness.Result r = run(dir, "-np", "2", "-H", "localhost:2", "--grace-period", "1",
            "sh", "-c", "if [ \"$RANK\" = 1 ]; then exec 1>&- 2>&-; sleep 0.5; exit 4; fi; exec sleep 30");
        assertEquals(4, r.code(), r::toString);
        assertTrue(r.err().contains("rank 1") && r.err().contains("exited with code 4"), r::toString);
    }

    /**
     * 200 MB of lines and one 64 MB line without a newline, through a launcher JVM capped at a 48 MB
     * heap: relaying must stream (lines go out as they come, long ones in {@code LinePump.MAX_LINE}
     * pieces), or the launcher runs out of memory and the job fails.
     */
    @Test
    void ranksPrintingHundredsOfMegabytesAreRelayedInBoundedMemory() throws Exception
    {
        final List<String> cmd = new ArrayList<>(JcclrunProcess.command());
        cmd.add(1, "-Xmx48m");
        cmd.addAll(List.of("-np", "3", "-H", "localhost:3", "--", "sh", "-c",
            "case $RANK in " +
                "0|1) yes 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' | head -c 100000000 ;; " +
                "2) head -c 64000000 /dev/zero | tr '\\000' y; echo ;; " +
                "esac; echo done $RANK >&2"));
        final ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(dir.resolve("jcclrun.err").toFile());
        pb.environment().clear();
        pb.environment().putAll(LauncherHarness.cleanEnv());
        final Process launcher = pb.start();
        final boolean finished = launcher.waitFor(100, TimeUnit.SECONDS);
        if (!finished)
        {
            launcher.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        final String err = JcclrunProcess.read(dir.resolve("jcclrun.err"));
        assertTrue(finished, "jcclrun did not finish relaying 264 MB within 100 s; stderr:\n" + err);
        assertEquals(0, launcher.exitValue(), err);
        assertFalse(err.contains("OutOfMemoryError"), err);
        for (int rank = 0; rank < 3; rank++)
        {
            assertTrue(err.contains("done " + rank), err);
        }
    }
}
