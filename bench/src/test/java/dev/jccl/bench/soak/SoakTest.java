package dev.jccl.bench.soak;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CI soak: bench/soak.sh with 2 ranks for 60 seconds, reports every 10, through jcclrun taken
 * from this test's class path. Passes only if the script exits 0 (no growth, no wrong result) and
 * every rank printed its interval reports and PASS.
 */
class SoakTest
{
    private static final Pattern REPORT = Pattern.compile(
        "soak rank=(\\d) t=\\d+s rss_kb=\\d+ heap_used_kb=\\d+ threads=\\d+ fds=\\d+ \\| allReduce n=\\d+ p50_us=[\\d.]+ p99_us=[\\d.]+");

    @Test
    void twoRanksRunSixtySecondsWithoutGrowth() throws Exception
    {
        final Path script = Path.of(System.getProperty("user.dir")).resolve("soak.sh");
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final String classPath = System.getProperty("java.class.path");
        final Path out = Files.createTempFile("jccl-soak-", ".log");
        try
        {
            final ProcessBuilder pb = new ProcessBuilder(List.of("bash", script.toString(), "-n", "2", "-d", "60", "-i", "10"))
                .redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("JCCL_") || k.startsWith("OMPI_") || k.equals("RANK"));
            pb.environment().put("JCCLRUN", java + " --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -XX:+UseSerialGC " +
                "-XX:TieredStopAtLevel=1 -cp " + classPath + " dev.jccl.launcher.Jcclrun");
            pb.environment().put("SOAK_CLASSPATH", classPath);
            pb.environment().put("SOAK_JAVA_OPTS", "-XX:+UseSerialGC -Xmx256m");
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            final Process soak = pb.start();
            final boolean done = soak.waitFor(150, TimeUnit.SECONDS);
            if (!done)
            {
                soak.destroyForcibly();
            }
            final String text = Files.readString(out);
            System.out.println(text);
            assertTrue(done, "soak did not finish within 150 s:\n" + text);
            assertEquals(0, soak.exitValue(), text);
            for (int rank = 0; rank < 2; rank++)
            {
                final Matcher m = REPORT.matcher(text);
                int reports = 0;
                while (m.find())
                {
                    reports += Integer.parseInt(m.group(1)) == rank ? 1 : 0;
                }
                assertTrue(reports >= 5, "rank " + rank + " printed " + reports + " interval reports:\n" + text);
                assertTrue(text.contains("soak rank=" + rank + " PASS"), text);
            }
        }
        finally
        {
            Files.deleteIfExists(out);
        }
    }

    @Test
    void growthCheckFlagsRisingThreadsAndFdsAndToleratesNoise()
    {
        final GrowthCheck rising = new GrowthCheck();
        for (int i = 0; i < 5; i++)
        {
            rising.add(new ProcessSample(100_000, 10_000, 20 + i, 30 + i));
        }
        assertEquals(2, rising.problems().size(), rising.problems().toString());

        final GrowthCheck noisy = new GrowthCheck();
        final int[] threads = { 25, 20, 21, 20, 21 };
        for (int i = 0; i < 5; i++)
        {
            noisy.add(new ProcessSample(100_000 + i * 1_000, 10_000 + (i % 2) * 3_000, threads[i], 30));
        }
        assertTrue(noisy.problems().isEmpty(), noisy.problems().toString());

        final GrowthCheck bloated = new GrowthCheck();
        for (int i = 0; i < 4; i++)
        {
            bloated.add(new ProcessSample(100_000 + i * 100_000, 10_000 + i * 40_000, 20, 30));
        }
        assertEquals(2, bloated.problems().size(), bloated.problems().toString());
    }
}
