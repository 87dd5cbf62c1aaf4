package dev.jccl.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Starts jcclrun (or its agent) as a real JVM, with this test run's class path. */
final class JcclrunProcess
{
    private JcclrunProcess()
    {
    }

    static String java()
    {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The command that runs {@link Jcclrun}, argument by argument. */
    static List<String> command()
    {
        return new ArrayList<>(List.of(java(), "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
            "-cp", System.getProperty("java.class.path"), Jcclrun.class.getName()));
    }

    /** The command that runs {@link AllReduceRank} as a rank. */
    static List<String> allReduceRank()
    {
        return rankCommand(AllReduceRank.class);
    }

    /** The command that runs {@code main} as a rank, with this test run's class path. */
    static List<String> rankCommand(final Class<?> main)
    {
        return List.of(java(), "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-Xmx256m", "-cp", System.getProperty("java.class.path"), main.getName());
    }

    static Process start(final Path dir, final Map<String, String> env, final String... args) throws IOException
    {
        final List<String> cmd = command();
        cmd.addAll(List.of(args));
        final ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
            .redirectOutput(dir.resolve("jcclrun.out").toFile()).redirectError(dir.resolve("jcclrun.err").toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        return pb.start();
    }

    static String read(final Path file)
    {
        try
        {
            return Files.exists(file) ? Files.readString(file) : "";
        }
        catch (final IOException e)
        {
            return "<" + e + ">";
        }
    }

    /** Waits until {@code n} pid files {@code prefix*} exist and are complete; returns the pids. */
    static List<Long> awaitPidFiles(final Path dir, final String prefix, final int n, final long timeoutMillis) throws Exception
    {
        final long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline)
        {
            final List<Long> pids = new ArrayList<>();
            try (var files = Files.list(dir))
            {
                for (final Path f : files.filter(p -> p.getFileName().toString().startsWith(prefix)).toList())
                {
                    final String s = Files.readString(f).strip();
                    if (!s.isEmpty())
                    {
                        pids.add(Long.parseLong(s));
                    }
                }
            }
            if (pids.size() >= n)
            {
                return pids;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("only some of " + n + " ranks wrote their pid files in " + dir);
    }

    /** True once none of {@code pids} is alive, waiting up to {@code timeoutMillis}. */
    static boolean allGone(final List<Long> pids, final long timeoutMillis) throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline)
        {
            if (pids.stream().noneMatch(JcclrunProcess::alive))
            {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    static boolean alive(final long pid)
    {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Last-resort cleanup so a failing test leaves nothing running. */
    static void killAll(final List<Long> pids, final Process... processes) throws InterruptedException
    {
        for (final long pid : pids)
        {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        for (final Process p : processes)
        {
            if (p != null)
            {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
