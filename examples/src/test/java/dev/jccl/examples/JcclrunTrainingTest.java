package dev.jccl.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The training example as a real multi-process job under jcclrun: four JVMs, the launcher's store
 * and token, output relayed by the launcher.
 */
class JcclrunTrainingTest
{
    private static final Pattern DIGEST = Pattern.compile("(?m)^(?:\\[1,\\d+\\]<stdout>:)?rank (\\d+): weights sha256 ([0-9a-f]{64}) \\(2762 parameters\\)$");
    private static final Pattern EPOCH = Pattern.compile("(?m)^(?:\\[1,0\\]<stdout>:)?epoch (\\d+)/(\\d+)  loss (\\d+\\.\\d+)  accuracy");

    @TempDir
    Path dir;

    record Result(int exit, String out, String err)
    {
        @Override
        public String toString()
        {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private static String java()
    {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** jcclrun from this test's class path (the launcher is a test dependency), as its own JVM. */
    private static List<String> jcclrunFromClassPath()
    {
        return new ArrayList<>(List.of(java(), "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "dev.jccl.launcher.Jcclrun"));
    }

    /** The training program from this test's class path, as each rank runs it. */
    private static List<String> trainFromClassPath()
    {
        return List.of(java(), "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-XX:+UseSerialGC", "-Xmx256m",
            "-cp", System.getProperty("java.class.path"), TrainMain.class.getName());
    }

    private Result runJob(final List<String> command) throws IOException, InterruptedException
    {
        final ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
            .redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
        final Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("JCCL_") || k.startsWith("OMPI_") || k.startsWith("PMI_") ||
            List.of("RANK", "WORLD_SIZE", "LOCAL_RANK", "LOCAL_WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT").contains(k));
        final Process p = pb.start();
        try
        {
            if (!p.waitFor(240, TimeUnit.SECONDS))
            {
                throw new AssertionError("jcclrun did not finish in 240 s\n" + read("out") + read("err"));
            }
        }
        finally
        {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        final Result r = new Result(p.exitValue(), read("out"), read("err"));
        System.out.println("=== " + String.join(" ", command.stream().map(a -> a.length() > 80 ? "<class path>" : a).toList()) + "\n" + r);
        return r;
    }

    private String read(final String name) throws IOException
    {
        final Path f = dir.resolve(name);
        return Files.exists(f) ? Files.readString(f) : "";
    }

    @SafeVarargs
    private static List<String> concat(final List<String>... parts)
    {
        final List<String> all = new ArrayList<>();
        for (final List<String> part : parts)
        {
            all.addAll(part);
        }
        return all;
    }

    @Test
    void fourProcessesUnderJcclrunFinishWithIdenticalWeightsAndRankZeroReportsEachEpoch() throws Exception
    {
        final Result r = runJob(concat(jcclrunFromClassPath(), List.of("-np", "4", "--oversubscribe", "--timeout", "200", "--"),
            trainFromClassPath(), List.of("--epochs", "2", "--samples", "16384", "--batch-size", "256")));
        assertEquals(0, r.exit(), r::toString);
        assertFourEqualDigests(r.out(), r);
        final Matcher epochs = EPOCH.matcher(r.out());
        int n = 0;
        while (epochs.find())
        {
            n++;
            assertEquals(String.valueOf(n), epochs.group(1), r::toString);
        }
        assertEquals(2, n, r::toString);
    }

    @Test
    void binJcclrunRunsBinJcclTrainAsTheReadmeSays() throws Exception
    {
        final Path root = repositoryRoot();
        final Path launcherJar = shadedJar(root.resolve("launcher/target"), "jccl-launcher-");
        final Path exampleJar = shadedJar(root.resolve("examples/target"), "jccl-examples-");
        assumeTrue(launcherJar != null && exampleJar != null, "bin/jcclrun and bin/jccl-train need launcher/target/jccl-launcher-*-all.jar and " +
            "examples/target/jccl-examples-*-all.jar, which `mvn package` builds and `mvn test` does not; run ./mvnw -B -o -DskipTests package first " +
            "(the same job from the test class path ran in fourProcessesUnderJcclrun...)");
        // --oversubscribe: CI machines may have fewer CPUs (slots) than 4.
        final Result r = runJob(List.of(root.resolve("bin/jcclrun").toString(), "-np", "4", "--oversubscribe",
            root.resolve("bin/jccl-train").toString(), "--epochs", "1", "--samples", "16384"));
        assertEquals(0, r.exit(), r::toString);
        assertFourEqualDigests(r.out(), r);
        // One host, JCCL_TRANSPORT unset (auto): the README's command runs over shared memory.
        assertTrue(r.out().contains("jccl-train: 4 rank(s) over shm"), r::toString);
    }

    @Test
    void aRankThatDiesMidTrainingStopsTheJobWithItsExitCodeAndTheOthersLearnWhichRankDied() throws Exception
    {
        // 16384 samples / 256 = 64 steps per epoch; rank 2 halts at step 20, before that step's allreduce.
        final Result r = runJob(concat(jcclrunFromClassPath(), List.of("-v", "-np", "4", "--oversubscribe", "--tag-output", "--timeout", "200", "--"),
            trainFromClassPath(),
            List.of("--epochs", "2", "--samples", "16384", "--die-at-step", "20", "--die-rank", "2", "--die-code", "3")));
        assertEquals(3, r.exit(), r::toString);
        assertTrue(Pattern.compile("(?m)^jcclrun: rank 2 \\(host localhost, pid \\d+\\) exited with code 3$").matcher(r.err()).find(), r::toString);
        assertTrue(r.out().contains("[1,2]<stdout>:rank 2: --die-at-step 20: halting with exit code 3 (simulated crash)"), r::toString);
        assertFalse(DIGEST.matcher(r.out()).find(), "no rank may finish training\n" + r);
        // Each survivor either caught PeerFailureException naming rank 2 (and exited 1), or was
        // stopped by jcclrun's SIGTERM before it got that far; which one is a race, so accept either,
        // but every survivor must be accounted for.
        for (final int survivor : new int[] {0, 1, 3})
        {
            final boolean sawFailure = Pattern.compile("(?m)^\\[1," + survivor + "\\]<stderr>:jccl-train: rank " + survivor +
                ": training stopped \\(peer rank 2 on [^)]+\\): PeerFailureException: rank 2 \\(host [^)]+\\) failed: ").matcher(r.err()).find();
            final boolean stoppedByLauncher = r.err().contains("jcclrun: rank " + survivor + " killed by signal 15 (SIGTERM)") ||
                r.err().contains("jcclrun: rank " + survivor + " killed by signal 9 (SIGKILL)");
            assertTrue(sawFailure || stoppedByLauncher, "rank " + survivor + " neither reported rank 2's failure nor was stopped by jcclrun\n" + r);
        }
    }

    private static void assertFourEqualDigests(final String out, final Result r)
    {
        final Matcher m = DIGEST.matcher(out);
        final boolean[] seen = new boolean[4];
        String digest = null;
        while (m.find())
        {
            seen[Integer.parseInt(m.group(1))] = true;
            if (digest == null)
            {
                digest = m.group(2);
            }
            assertEquals(digest, m.group(2), "rank " + m.group(1) + "'s weights differ\n" + r);
        }
        for (int rank = 0; rank < 4; rank++)
        {
            assertTrue(seen[rank], "rank " + rank + " printed no weight digest\n" + r);
        }
    }

    private static Path repositoryRoot()
    {
        Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("bin/jcclrun")))
        {
            p = p.getParent();
        }
        if (p == null)
        {
            throw new AssertionError("no bin/jcclrun above " + System.getProperty("user.dir"));
        }
        return p;
    }

    private static Path shadedJar(final Path target, final String prefix) throws IOException
    {
        if (!Files.isDirectory(target))
        {
            return null;
        }
        try (Stream<Path> files = Files.list(target))
        {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix) && f.getFileName().toString().endsWith("-all.jar"))
                .findFirst().orElse(null);
        }
    }
}
