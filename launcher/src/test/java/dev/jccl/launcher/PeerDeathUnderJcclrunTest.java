package dev.jccl.launcher;

import dev.jccl.env.NetworkEnvironment;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * DESIGN.md "Testing": real JVMs started by jcclrun, one rank killed mid-allreduce. Every
 * survivor must throw {@code PeerFailureException} naming the victim and its host within the
 * detection bound (the time is printed), jcclrun must exit non-zero naming the failed rank, and
 * no rank may be left running. Run over shared memory (what jcclrun picks on one host) and TCP.
 *
 * <p>SIGKILL: the victim's exit is what jcclrun sees first, so it stops the job at once; the
 * survivors ignore SIGTERM ({@code CATCH_SIGTERM}) to stay long enough to report what their
 * communicator said. SIGSTOP: the victim is frozen, alive but silent, so only the heartbeat
 * ({@code JCCL_HEARTBEAT_TIMEOUT=1s}) finds it; the survivors' failures end the job and jcclrun
 * must then kill the frozen rank, which a SIGTERM alone never stops.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PeerDeathUnderJcclrunTest
{
    private static final int SIZE = 3;
    private static final int VICTIM = 1;
    /** DESIGN.md's bound for a killed peer: the reset arrives at once, detection is the poll loop's. */
    private static final long KILL_BOUND_MS = 2000;
    /** A frozen peer is silence, not a reset: the heartbeat timeout plus the same 2 s. */
    private static final long FREEZE_BOUND_MS = 1000 + 2000;
    private static final Pattern FAILED = Pattern.compile(
        "rank (\\d+) FAILED (\\w+)(?: peerRank=(-?\\d+) peerHost=(\\S+))? at=(\\d+)");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "shm", "tcp" })
    void survivorsReportRankKilledBySigkillAndJcclrunNamesIt(final String transport) throws Exception
    {
        runAndBreak(transport, "KILL", KILL_BOUND_MS);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "shm", "tcp" })
    void survivorsReportFrozenRankAndJcclrunKillsIt(final String transport) throws Exception
    {
        runAndBreak(transport, "STOP", FREEZE_BOUND_MS);
    }

    private void runAndBreak(final String transport, final String signal, final long boundMs) throws Exception
    {
        final Map<String, String> env = LauncherHarness.cleanEnv();
        env.keySet().removeIf(k -> k.startsWith("JCCL_"));
        env.put("JCCL_TRANSPORT", transport);
        env.put("JCCL_TIMEOUT", "60s");
        env.put("JCCL_HEARTBEAT_TIMEOUT", "1s");
        if (signal.equals("KILL"))
        {
            env.put("CATCH_SIGTERM", "1");
        }
        // SIGKILL: the survivors end themselves once they report, the grace period is only a ceiling.
        // SIGSTOP: the frozen rank never acts on SIGTERM; a short grace period gets to its SIGKILL sooner.
        final String grace = signal.equals("KILL") ? "5" : "1";
        final List<String> args = new ArrayList<>(List.of("-np", Integer.toString(SIZE), "-H", "localhost:" + SIZE,
            "--grace-period", grace, "--timeout", "60"));
        args.addAll(JcclrunProcess.rankCommand(LoopingAllReduceRank.class));
        final Process jcclrun = JcclrunProcess.start(dir, env, args.toArray(String[]::new));
        List<Long> pids = new ArrayList<>();
        try
        {
            pids = awaitLooping(jcclrun, 60_000);
            final long victimPid = pids.get(VICTIM);
            final long brokenAt = System.currentTimeMillis();
            signal(signal, victimPid);
            assertTrue(jcclrun.waitFor(30, TimeUnit.SECONDS), "jcclrun did not end the job:\n" + outputs());
            final String out = JcclrunProcess.read(dir.resolve("jcclrun.out"));
            final String err = JcclrunProcess.read(dir.resolve("jcclrun.err"));

            final String host = NetworkEnvironment.hostName();
            final StringBuilder record = new StringBuilder(transport + " SIG" + signal + " of rank " + VICTIM + ":");
            for (int rank = 0; rank < SIZE; rank++)
            {
                if (rank == VICTIM)
                {
                    continue;
                }
                final Matcher m = failedLine(out, rank);
                assertNotNull(m, "survivor " + rank + " reported no failure:\n" + outputs());
                assertEquals("PeerFailureException", m.group(2), m.group());
                assertEquals(VICTIM, Integer.parseInt(m.group(3)), m.group());
                assertEquals(host, m.group(4), m.group());
                final long detectMs = Long.parseLong(m.group(5)) - brokenAt;
                record.append(" rank ").append(rank).append(" after ").append(detectMs).append(" ms;");
                assertTrue(detectMs < boundMs, "rank " + rank + " took " + detectMs + " ms (bound " + boundMs + "):\n" + outputs());
            }
            System.out.println("[PeerDeathUnderJcclrunTest] " + record);

            assertNotEquals(0, jcclrun.exitValue(), outputs());
            if (signal.equals("KILL"))
            {
                assertEquals(137, jcclrun.exitValue(), outputs());
                assertTrue(err.contains("jcclrun: rank " + VICTIM + " (host localhost, pid " + victimPid + ") killed by signal 9 (SIGKILL)"),
                    outputs());
            }
            else
            {
                // jcclrun only sees the survivors exit (with the exception); what failed is in
                // their relayed stack traces, which name the frozen rank and its host.
                assertTrue(Pattern.compile("jcclrun: rank [02] \\(host localhost, pid \\d+\\) exited with code 1").matcher(err).find(),
                    outputs());
                assertTrue(err.contains("PeerFailureException: rank " + VICTIM + " (host " + host + ") failed"), outputs());
            }
            assertTrue(JcclrunProcess.allGone(pids, 2000), "ranks left running after jcclrun exited: " + pids);
        }
        finally
        {
            for (final long pid : pids)
            {
                if (JcclrunProcess.alive(pid))
                {
                    signal("CONT", pid);
                }
            }
            JcclrunProcess.killAll(pids, jcclrun);
        }
    }

    /** The pids of every rank, by rank, once each has allreduced for a while. */
    private List<Long> awaitLooping(final Process jcclrun, final long timeoutMs) throws Exception
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline && jcclrun.isAlive())
        {
            final List<Long> pids = new ArrayList<>();
            for (int rank = 0; rank < SIZE; rank++)
            {
                final Path file = dir.resolve("looping." + rank);
                if (Files.exists(file))
                {
                    pids.add(Long.parseLong(Files.readString(file).strip()));
                }
            }
            if (pids.size() == SIZE)
            {
                return pids;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the ranks did not all reach their allreduce loop:\n" + outputs());
    }

    private static Matcher failedLine(final String out, final int rank)
    {
        final Matcher m = FAILED.matcher(out);
        while (m.find())
        {
            if (Integer.parseInt(m.group(1)) == rank)
            {
                return m;
            }
        }
        return null;
    }

    private String outputs()
    {
        return "--- jcclrun stdout\n" + JcclrunProcess.read(dir.resolve("jcclrun.out")) +
            "--- jcclrun stderr\n" + JcclrunProcess.read(dir.resolve("jcclrun.err"));
    }

    private static void signal(final String name, final long pid) throws Exception
    {
        final Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS), "kill -" + name + " hung");
    }
}
