package dev.jccl.bench;

import dev.jccl.Jccl;
import dev.jccl.nccl.NcclProbe;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * {@code jccl-perf --transport nccl} where NCCL cannot run (no NVIDIA driver here): exit status 3
 * and one line with the probe's reason, no stack trace, no linkage error; in process and in fresh
 * JVMs through {@code JcclPerf.main}, so the real exit status and everything printed are checked.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class JcclPerfNoGpuTest
{
    private static String reason;

    @BeforeAll
    static void onlyWhereNcclCannotRun()
    {
        reason = NcclProbe.result().reason();
        assumeFalse(reason == null, "NCCL can run on this machine; the no-GPU path cannot be checked here");
    }

    @Test
    void ncclTransportFailsWithTheProbesReasonInOneLine()
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int code = JcclPerf.run(new String[] { "all_reduce", "-t", "2", "-b", "8", "-e", "1K", "--transport", "nccl" },
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), new JcclCommFactory());
        assertEquals(JcclPerf.EXIT_FAILURE, code);
        assertEquals("jccl-perf: --transport nccl cannot run here: " + reason + System.lineSeparator(), err.toString(StandardCharsets.UTF_8));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void withoutTheDriverTheReasonSaysSo()
    {
        assumeFalse(Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libcuda.so.1")) || Files.exists(Path.of("/usr/lib64/libcuda.so.1")),
            "this machine has libcuda.so.1");
        assertEquals(NcclProbe.NO_DRIVER, reason);
        assertTrue(reason.startsWith("no CUDA driver (libcuda.so.1"), reason);
    }

    @Test
    void freshJvmExitsThreeWithOneLine() throws Exception
    {
        final Result r = jcclPerf(List.of(), Map.of(), "all_reduce", "-t", "2", "-b", "8", "-e", "64", "--transport", "nccl");
        assertEquals(JcclPerf.EXIT_FAILURE, r.code, r.output);
        assertEquals("jccl-perf: --transport nccl cannot run here: " + reason, r.output.strip());
    }

    @Test
    void freshJvmThroughJavaCppsRealLoaderStillExitsThreeWithOneLine() throws Exception
    {
        // skip the probe's on-disk search: JavaCPP really tries to load the CUDA bindings and dlopen fails
        final Result r = jcclPerf(List.of("-Djccl.nccl.probe.librarySearch=false"), Map.of(),
            "all_reduce", "-b", "8", "-e", "64", "--transport", "nccl");
        assertEquals(JcclPerf.EXIT_FAILURE, r.code, r.output);
        final String line = r.output.strip();
        assertTrue(line.startsWith("jccl-perf: --transport nccl cannot run here: "), line);
        assertFalse(line.contains("\n"), "one line:\n" + line);
        assertNoStackTrace(r.output);
    }

    @Test
    void ncclFromTheEnvironmentFailsTheSameWay() throws Exception
    {
        // one rank from the environment (no launcher), JCCL_TRANSPORT=nccl: Jccl.init refuses, jccl-perf says why in one line
        final Result r = jcclPerf(List.of(), Map.of("JCCL_TRANSPORT", "nccl"), "all_reduce", "-b", "8", "-e", "64");
        assertEquals(JcclPerf.EXIT_FAILURE, r.code, r.output);
        // (the library may log its own WARNING lines first, e.g. that there is no job token)
        final List<String> ours = r.output.lines().filter(l -> l.startsWith("jccl-perf")).toList();
        assertEquals(List.of("jccl-perf: JCCL_TRANSPORT=nccl cannot run here: " + reason), ours, r.output);
        assertNoStackTrace(r.output);
    }

    @Test
    void hostTransportsStillRunWithTheNcclTransportOnTheClassPath() throws Exception
    {
        // auto skips NCCL here (one INFO line) and runs shared memory (every rank on one host) on host memory; the table checks out
        final Result r = jcclPerf(List.of(), Map.of(), "all_reduce", "-t", "2", "-b", "8", "-e", "1K", "-f", "4", "-n", "2", "-w", "1", "--warmup-ms", "0");
        assertEquals(JcclPerf.EXIT_OK, r.code, r.output);
        assertTrue(r.output.contains("[cpu] JCCL-shm"), r.output);
        assertTrue(r.output.contains("# Out of bounds values : 0 OK"), r.output);
        assertNoStackTrace(r.output);
    }

    private static void assertNoStackTrace(final String output)
    {
        assertFalse(output.contains("UnsatisfiedLinkError"), output);
        assertFalse(output.contains("NoClassDefFoundError"), output);
        assertFalse(output.contains("ExceptionInInitializerError"), output);
        assertFalse(output.contains("\tat "), output);
    }

    private record Result(int code, String output)
    {
    }

    private static Result jcclPerf(final List<String> jvmArgs, final Map<String, String> env, final String... args) throws Exception
    {
        final String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(Jccl.REQUIRED_JVM_OPTION.split(" ")));
        command.add("-Xmx256m");
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(classPath);
        command.add(JcclPerf.class.getName());
        command.addAll(List.of(args));
        final File log = File.createTempFile("jccl-perf-nogpu", ".log");
        try
        {
            final ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log);
            // no launcher variables from the test's own environment
            for (final String k : List.of("JCCL_TRANSPORT", "RANK", "WORLD_SIZE", "LOCAL_RANK", "OMPI_COMM_WORLD_RANK", "PMI_RANK",
                "MASTER_ADDR", "MASTER_PORT", "JCCL_STORE"))
            {
                pb.environment().remove(k);
            }
            pb.environment().putAll(env);
            final Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS))
            {
                p.destroyForcibly();
                throw new AssertionError("jccl-perf did not exit in 120 s:\n" + Files.readString(log.toPath()));
            }
            return new Result(p.exitValue(), Files.readString(log.toPath()));
        }
        finally
        {
            log.delete();
        }
    }
}
