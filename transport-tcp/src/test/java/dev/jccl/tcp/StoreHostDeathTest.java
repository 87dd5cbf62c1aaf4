package dev.jccl.tcp;

import dev.jccl.CollectiveException;
import dev.jccl.CollectiveTimeoutException;
import dev.jccl.tcp.store.TcpStoreClient;
import dev.jccl.wire.Handshake;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The store's host dies while ranks wait on it (DESIGN.md "Failure semantics", issue 7: store
 * failures surface as clear exceptions, not hangs). Real JVMs over real sockets, no launcher:
 * rank 0 hosts the store (MASTER_ADDR is this machine), ranks 0-2 of a world of 4 join, so all
 * of them sit in the rendezvous waiting for rank 3's address; this test's own client blocks in a
 * GET of a key nobody sets. Then rank 0, and with it the store, is SIGKILLed. Ranks 1 and 2 and
 * the test's client must each fail with a {@link CollectiveException} that names the store's
 * address and says it is gone, within 2 s, not at the 60 s timeout.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class StoreHostDeathTest
{
    private static final int STARTED = 3;
    private static final int WORLD = 4;
    private static final long BOUND_MS = 2000;
    /** 1 s slice + 2 s grace, plus scheduling slack on a loaded 2-core machine. */
    private static final long FROZEN_BOUND_MS = 8000;
    private static final Pattern FAILED = Pattern.compile("rank (\\d+) INIT-FAILED (\\S+) at=(\\d+) msg=(.*)");

    @Test
    void ranksWaitingInRendezvousReportTheStoreGoneWhenItsHostIsKilled() throws Exception
    {
        run(false);
    }

    /**
     * A frozen store host (SIGSTOP: the connection stays up, no end of stream ever comes) is the
     * case only a bounded answer time catches: waits go to the store in slices, and a slice not
     * answered within its grace marks the store gone. The ranks run with 1 s slices and 2 s grace
     * (defaults 5 s and 15 s) so the test stays short.
     */
    @Test
    void ranksWaitingInRendezvousReportAFrozenStoreHostWithinSliceAndGrace() throws Exception
    {
        run(true);
    }

    private static void run(final boolean freeze) throws Exception
    {
        final List<String> jvmFlags = freeze ? List.of("-Djccl.store.waitSliceMs=1000", "-Djccl.store.answerGraceMs=2000") : List.of();
        final long bound = freeze ? FROZEN_BOUND_MS : BOUND_MS;
        final int port = ThreadedCluster.freePort();
        final String runId = "store-death-" + port;
        final String address = "127.0.0.1:" + port;
        final List<Process> processes = new ArrayList<>();
        final List<Path> logs = new ArrayList<>();
        TcpStoreClient observer = null;
        try
        {
            for (int rank = 0; rank < STARTED; rank++)
            {
                final Path log = Files.createTempFile("jccl-store-death-rank" + rank + "-", ".log");
                logs.add(log);
                final ProcessBuilder builder = new ProcessBuilder(
                    MultiProcessCollectivesTest.javaCommand(StoreWaitingRank.class.getName()))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
                builder.command().addAll(1, jvmFlags);
                builder.environment().keySet().removeIf(k -> k.startsWith("JCCL_") || k.startsWith("OMPI_") ||
                    k.startsWith("PMI_") || k.equals("RANK") || k.equals("WORLD_SIZE"));
                builder.environment().putAll(java.util.Map.of(
                    "RANK", Integer.toString(rank), "WORLD_SIZE", Integer.toString(WORLD), "LOCAL_RANK", Integer.toString(rank),
                    "MASTER_ADDR", "127.0.0.1", "MASTER_PORT", Integer.toString(port),
                    "JCCL_RUN_ID", runId, "JCCL_TRANSPORT", "tcp", "JCCL_TIMEOUT", "60s"));
                processes.add(builder.start());
            }
            // Once ranks 0-2 published their addresses they wait for rank 3's: the state to break.
            observer = TcpStoreClient.connect("127.0.0.1", port, new Handshake(null, runId), 99, Duration.ofSeconds(60));
            final List<String> published = new ArrayList<>();
            for (int rank = 0; rank < STARTED; rank++)
            {
                published.add("jccl/" + runId + "/comm/0/addr/" + rank);
            }
            observer.waitFor(published, Duration.ofSeconds(60));
            final TcpStoreClient client = observer;
            final CompletableFuture<byte[]> blocked = freeze ? null : CompletableFuture.supplyAsync(() -> client.get("never-set"));
            Thread.sleep(200);

            final long killedAt = System.currentTimeMillis();
            final StringBuilder record = new StringBuilder();
            if (freeze)
            {
                // This JVM's own client has the default 5 s + 15 s bound; the ranks are what is checked.
                final Process stop = new ProcessBuilder("kill", "-STOP", Long.toString(processes.get(0).pid())).start();
                assertTrue(stop.waitFor(10, TimeUnit.SECONDS) && stop.exitValue() == 0, "kill -STOP failed");
                record.append("store host (rank 0) SIGSTOPped:");
            }
            else
            {
                processes.get(0).destroyForcibly();
                final ExecutionException ex = assertThrows(ExecutionException.class, () -> blocked.get(10, TimeUnit.SECONDS));
                final long observerMs = System.currentTimeMillis() - killedAt;
                assertStoreGone(ex.getCause(), address);
                record.append("store host (rank 0) SIGKILLed: test client after ").append(observerMs).append(" ms (")
                    .append(ex.getCause().getMessage()).append(");");
                assertTrue(observerMs < bound, "the test's client took " + observerMs + " ms");
            }
            for (int rank = 1; rank < STARTED; rank++)
            {
                final Process process = processes.get(rank);
                assertTrue(process.waitFor(30, TimeUnit.SECONDS), "rank " + rank + " still waits:\n" + read(logs.get(rank)));
                final String output = read(logs.get(rank));
                final Matcher m = FAILED.matcher(output);
                assertTrue(m.find(), "rank " + rank + " did not report the failed init:\n" + output);
                assertEquals(CollectiveException.class.getName(), m.group(2), output);
                assertTrue(m.group(4).contains(address) && m.group(4).contains("gone"), output);
                final long detectMs = Long.parseLong(m.group(3)) - killedAt;
                record.append(" rank ").append(rank).append(" after ").append(detectMs).append(" ms;");
                assertTrue(detectMs < bound, "rank " + rank + " took " + detectMs + " ms:\n" + output);
                record.append(" (").append(m.group(4)).append(")");
            }
            System.out.println("[StoreHostDeathTest] " + record);
        }
        finally
        {
            if (observer != null)
            {
                observer.close();
            }
            for (final Process process : processes)
            {
                process.destroyForcibly();
            }
            for (final Path log : logs)
            {
                Files.deleteIfExists(log);
            }
        }
    }

    private static void assertStoreGone(final Throwable failure, final String address)
    {
        assertTrue(failure instanceof CollectiveException, String.valueOf(failure));
        assertFalse(failure instanceof CollectiveTimeoutException, "a dead store is not a timeout: " + failure);
        assertTrue(failure.getMessage().contains(address) && failure.getMessage().contains("gone"), failure.getMessage());
    }

    private static String read(final Path log) throws Exception
    {
        return Files.readString(log, StandardCharsets.UTF_8);
    }
}
