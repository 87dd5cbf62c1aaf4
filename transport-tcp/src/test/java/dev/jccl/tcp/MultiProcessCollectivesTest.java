package dev.jccl.tcp;

import dev.jccl.Jccl;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real JVMs over real sockets, joined through the torchrun and Open MPI environment contracts.
 * Other host transports reuse it by overriding {@link #transport()} (transport-shm).
 */
public class MultiProcessCollectivesTest
{
    /** The JCCL_TRANSPORT every rank gets; its RankProgram reports the transport it ran over. */
    protected String transport()
    {
        return "tcp";
    }

    @Test
    void threeJvmsWithTorchrunEnvironmentRunEveryCollective() throws Exception
    {
        final int port = ThreadedCluster.freePort();
        runRanks(3, rank -> Map.of(
            "RANK", Integer.toString(rank), "WORLD_SIZE", "3", "LOCAL_RANK", Integer.toString(rank),
            "MASTER_ADDR", "127.0.0.1", "MASTER_PORT", Integer.toString(port)));
    }

    @Test
    void twoJvmsWithOpenMpiEnvironmentRunEveryCollective() throws Exception
    {
        final int port = ThreadedCluster.freePort();
        runRanks(2, rank -> Map.of(
            "OMPI_COMM_WORLD_RANK", Integer.toString(rank), "OMPI_COMM_WORLD_SIZE", "2",
            "OMPI_COMM_WORLD_LOCAL_RANK", Integer.toString(rank), "OMPI_COMM_WORLD_LOCAL_SIZE", "2",
            "MASTER_ADDR", "127.0.0.1", "MASTER_PORT", Integer.toString(port)));
    }

    private void runRanks(final int size, final IntFunction<Map<String, String>> env) throws Exception
    {
        final List<Process> processes = new ArrayList<>();
        final List<Path> logs = new ArrayList<>();
        try
        {
            for (int rank = 0; rank < size; rank++)
            {
                final Path log = Files.createTempFile("jccl-rank" + rank + "-", ".log");
                logs.add(log);
                final ProcessBuilder builder = new ProcessBuilder(javaCommand(RankProgram.class.getName()))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
                builder.environment().keySet().removeIf(k -> k.startsWith("JCCL_") || k.startsWith("OMPI_") ||
                    k.startsWith("PMI_") || k.equals("RANK") || k.equals("WORLD_SIZE"));
                builder.environment().putAll(env.apply(rank));
                builder.environment().put("JCCL_TRANSPORT", transport());
                processes.add(builder.start());
            }
            for (int rank = 0; rank < size; rank++)
            {
                final Process process = processes.get(rank);
                assertTrue(process.waitFor(120, TimeUnit.SECONDS), "rank " + rank + " did not finish");
                final String output = Files.readString(logs.get(rank), StandardCharsets.UTF_8);
                assertEquals(0, process.exitValue(), "rank " + rank + " failed:\n" + output);
                assertTrue(output.contains("rank " + rank + " of " + size + " OK over " + transport()), output);
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

    public static List<String> javaCommand(final String mainClass) throws IOException
    {
        final String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(Jccl.REQUIRED_JVM_OPTION.split(" ")));
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(classPath.replace(File.pathSeparatorChar, File.pathSeparatorChar));
        command.add(mainClass);
        return command;
    }
}
