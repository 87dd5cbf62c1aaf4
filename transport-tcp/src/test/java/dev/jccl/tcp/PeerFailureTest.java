package dev.jccl.tcp;

import dev.jccl.env.NetworkEnvironment;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real JVMs over real sockets, without a launcher: one rank dies (SIGKILL, System.exit) or freezes
 * (SIGSTOP) while the others loop over collectives. Every survivor must throw
 * {@code PeerFailureException} naming the victim and its host long before the 120 s collective
 * timeout, find the communicator broken afterwards, close it promptly and build a new one of the
 * survivors in the same process. Detection times are printed for the record; the assertion
 * bound is generous because this machine is shared.
 */
class PeerFailureTest
{
    private static final int SIZE = 3;
    private static final long BOUND_MS = 10_000;
    private static final Pattern FAILED = Pattern.compile(
        "rank (\\d+) FAILED PeerFailureException peerRank=(\\d+) peerHost=(\\S+) at=(\\d+)");

    @Test
    void survivorsReportRankKilledBySigkillWithinSeconds() throws Exception
    {
        runAndBreak(1, "external", cluster -> cluster.victim().destroyForcibly());
    }

    @Test
    void survivorsReportStoreHostingRankZeroKilledBySigkill() throws Exception
    {
        runAndBreak(0, "external", cluster -> cluster.victim().destroyForcibly());
    }

    @Test
    void survivorsReportRankThatCalledSystemExitMidCollective() throws Exception
    {
        runAndBreak(2, "exit", cluster -> { });
    }

    @Test
    void survivorsReportFrozenRankWithinTheHeartbeatTimeout() throws Exception
    {
        runAndBreak(1, "external", cluster -> signal("STOP", cluster.victim().pid()));
    }

    /** What the test does to the victim once every rank loops; returns nothing, the clock starts after it. */
    private interface Breaker
    {
        void breakIt(Ranks ranks) throws Exception;
    }

    private record Ranks(List<Process> processes, int victimRank)
    {
        Process victim()
        {
            return processes.get(victimRank);
        }
    }

    private static void runAndBreak(final int victim, final String mode, final Breaker breaker) throws Exception
    {
        final int port = ThreadedCluster.freePort();
        final int rejoinPort = ThreadedCluster.freePort();
        final List<Process> processes = new ArrayList<>();
        final List<Path> logs = new ArrayList<>();
        try
        {
            for (int rank = 0; rank < SIZE; rank++)
            {
                final Path log = Files.createTempFile("jccl-failure-rank" + rank + "-", ".log");
                logs.add(log);
                final ProcessBuilder builder = new ProcessBuilder(MultiProcessCollectivesTest.javaCommand(FailureRank.class.getName()))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
                builder.environment().keySet().removeIf(k -> k.startsWith("JCCL_") || k.startsWith("OMPI_") ||
                    k.startsWith("PMI_") || k.equals("RANK") || k.equals("WORLD_SIZE"));
                final Map<String, String> env = new HashMap<>(Map.of(
                    "RANK", Integer.toString(rank), "WORLD_SIZE", Integer.toString(SIZE), "LOCAL_RANK", Integer.toString(rank),
                    "MASTER_ADDR", "127.0.0.1", "MASTER_PORT", Integer.toString(port),
                    "JCCL_TIMEOUT", "120s", "JCCL_HEARTBEAT_TIMEOUT", "2s",
                    "VICTIM", Integer.toString(victim), "MODE", mode, "REJOIN_PORT", Integer.toString(rejoinPort)));
                builder.environment().putAll(env);
                processes.add(builder.start());
            }
            for (int rank = 0; rank < SIZE; rank++)
            {
                awaitLine(logs, rank, "LOOPING", 90_000);
            }
            final long brokenAt = System.currentTimeMillis();
            breaker.breakIt(new Ranks(processes, victim));
            final String host = NetworkEnvironment.hostName();
            final StringBuilder record = new StringBuilder("victim " + victim + " (" + mode + "):");
            for (int rank = 0; rank < SIZE; rank++)
            {
                if (rank == victim)
                {
                    continue;
                }
                final Process survivor = processes.get(rank);
                assertTrue(survivor.waitFor(60, TimeUnit.SECONDS), "survivor " + rank + " did not finish:\n" + read(logs.get(rank)));
                final String output = read(logs.get(rank));
                assertEquals(0, survivor.exitValue(), output);
                final Matcher m = FAILED.matcher(output);
                assertTrue(m.find(), "survivor " + rank + " did not report a PeerFailureException:\n" + output);
                assertEquals(victim, Integer.parseInt(m.group(2)), output);
                assertEquals(host, m.group(3), output);
                final long detectMs = Long.parseLong(m.group(4)) - brokenAt;
                record.append(" rank ").append(rank).append(" after ").append(detectMs).append(" ms;");
                assertTrue(detectMs < BOUND_MS, "rank " + rank + " took " + detectMs + " ms:\n" + output);
                assertTrue(output.contains("STILL-BROKEN"), "a broken communicator must keep failing:\n" + output);
                assertTrue(output.contains("rank " + rank + " CLOSED"), output);
                assertTrue(output.contains("REJOINED as") && output.contains("sum=" + (SIZE - 1)),
                    "survivors must build a new communicator in the same process:\n" + output);
            }
            System.out.println("[PeerFailureTest] " + record);
        }
        finally
        {
            for (final Process process : processes)
            {
                if (process.isAlive())
                {
                    signal("CONT", process.pid());
                    process.destroyForcibly();
                }
            }
            for (final Path log : logs)
            {
                Files.deleteIfExists(log);
            }
        }
    }

    private static void awaitLine(final List<Path> logs, final int rank, final String text, final long timeoutMs) throws Exception
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline)
        {
            if (read(logs.get(rank)).contains(text))
            {
                return;
            }
            Thread.sleep(50);
        }
        final StringBuilder all = new StringBuilder();
        for (int r = 0; r < logs.size(); r++)
        {
            all.append("\n--- rank ").append(r).append(" ---\n").append(read(logs.get(r)));
        }
        throw new AssertionError("rank " + rank + ": no '" + text + "' within " + timeoutMs + " ms" + all);
    }

    static void signal(final String name, final long pid) throws Exception
    {
        final Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS), "kill -" + name + " hung");
    }

    private static String read(final Path log) throws Exception
    {
        return Files.readString(log, StandardCharsets.UTF_8);
    }
}
