package dev.jccl.shm;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Three JVMs over one file; one is killed with SIGKILL mid-loop: the others report it, never hang. */
class DeadPeerProcessTest
{
    private static final Pattern CAUGHT = Pattern.compile("caught PeerFailureException failedRank=1 afterMs=(\\d+)");

    @Test
    void killedRankIsReportedByEverySurvivor() throws Exception
    {
        final int port = dev.jccl.tcp.ThreadedCluster.freePort();
        final List<Process> processes = new ArrayList<>();
        final List<Path> logs = new ArrayList<>();
        try
        {
            for (int rank = 0; rank < 3; rank++)
            {
                final Path log = Files.createTempFile("jccl-shm-dead-" + rank + "-", ".log");
                logs.add(log);
                final ProcessBuilder builder = new ProcessBuilder(dev.jccl.tcp.MultiProcessCollectivesTest.javaCommand(LoopingRankProgram.class.getName()))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
                builder.environment().keySet().removeIf(k -> k.startsWith("JCCL_") || k.startsWith("OMPI_") || k.startsWith("PMI_"));
                builder.environment().put("RANK", Integer.toString(rank));
                builder.environment().put("WORLD_SIZE", "3");
                builder.environment().put("LOCAL_RANK", Integer.toString(rank));
                builder.environment().put("MASTER_ADDR", "127.0.0.1");
                builder.environment().put("MASTER_PORT", Integer.toString(port));
                builder.environment().put("JCCL_TRANSPORT", "shm");
                builder.environment().put("JCCL_TIMEOUT", "120");
                processes.add(builder.start());
            }
            final long readyBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!Files.readString(logs.get(1)).contains("ready") && System.nanoTime() < readyBy)
            {
                Thread.sleep(100);
            }
            assertTrue(Files.readString(logs.get(1)).contains("ready"), "rank 1 never got going:\n" + Files.readString(logs.get(1)));
            Thread.sleep(300);
            processes.get(1).destroyForcibly();
            for (final int survivor : new int[] { 0, 2 })
            {
                final Process process = processes.get(survivor);
                // Far below the 120 s collective timeout: the death is found by pid, not by timing out.
                assertTrue(process.waitFor(30, TimeUnit.SECONDS), "rank " + survivor + " hung after rank 1 was killed");
                final String output = Files.readString(logs.get(survivor), StandardCharsets.UTF_8);
                assertEquals(4, process.exitValue(), output);
                final Matcher matcher = CAUGHT.matcher(output);
                assertTrue(matcher.find(), "rank " + survivor + " output:\n" + output);
                System.out.println("rank " + survivor + " saw rank 1's death after " + matcher.group(1) + " ms");
            }
        }
        finally
        {
            processes.forEach(Process::destroyForcibly);
            for (final Path log : logs)
            {
                Files.deleteIfExists(log);
            }
        }
    }
}
