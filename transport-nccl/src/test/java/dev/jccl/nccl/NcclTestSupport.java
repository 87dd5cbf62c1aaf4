package dev.jccl.nccl;

import dev.jccl.Jccl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

final class NcclTestSupport
{
    private NcclTestSupport()
    {
    }

    /** Why GPU tests cannot run here, or null when they can. */
    static String gpuSkipReason()
    {
        final String reason = NcclProbe.result().reason();
        return reason == null ? null : "GPU test skipped: " + reason;
    }

    static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** {@code java} with the test class path and JCCL's required flag, running {@code mainClass}. */
    static List<String> javaCommand(final List<String> jvmArgs, final String mainClass, final String... args)
    {
        final String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(Jccl.REQUIRED_JVM_OPTION.split(" ")));
        command.add("-Xmx256m");
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(List.of(args));
        return command;
    }

    /** A started child JVM whose stdout and stderr go to one log file. */
    static final class Child
    {
        final Process process;
        final Path log;

        Child(final Process process, final Path log)
        {
            this.process = process;
            this.log = log;
        }

        /** Waits (bounded) and returns the exit code; the output is in {@link #output()}. */
        int await(final long seconds) throws Exception
        {
            if (!process.waitFor(seconds, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                throw new AssertionError("child did not finish within " + seconds + " s:\n" + output());
            }
            return process.exitValue();
        }

        String output() throws IOException
        {
            return Files.readString(log, StandardCharsets.UTF_8);
        }

        void destroy() throws IOException
        {
            process.destroyForcibly();
            Files.deleteIfExists(log);
        }
    }

    /** Starts a JVM with a clean JCCL/launcher environment plus {@code env}. */
    static Child start(final List<String> command, final Map<String, String> env) throws IOException
    {
        final Path log = Files.createTempFile("jccl-nccl-child-", ".log");
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("JCCL_") || k.startsWith("OMPI_") || k.startsWith("PMI_") ||
            k.equals("RANK") || k.equals("WORLD_SIZE") || k.equals("LOCAL_RANK") || k.equals("MASTER_ADDR") || k.equals("MASTER_PORT"));
        builder.environment().putAll(env);
        return new Child(builder.start(), log);
    }
}
