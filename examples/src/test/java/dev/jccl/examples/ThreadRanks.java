package dev.jccl.examples;

import dev.jccl.Communicator;
import dev.jccl.Jccl;
import dev.jccl.JcclConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs a job of N ranks as threads of this JVM: each rank joins through
 * {@link Jccl#init(JcclConfig)} over the real TCP transport and store on loopback, on its own
 * thread, runs {@code body}, and closes its communicator. Rank 0 hosts the store.
 */
final class ThreadRanks
{
    private static final AtomicInteger RUNS = new AtomicInteger();

    private ThreadRanks()
    {
    }

    /** What each rank returned, or the exception it threw (an {@link Throwable} in that rank's slot). */
    static List<Object> run(final int worldSize, final Function<Communicator, Object> body) throws Exception
    {
        final int port = freePort();
        final String runId = "examples-" + ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet();
        final byte[] token = new byte[32];
        new SecureRandom().nextBytes(token);
        final ExecutorService pool = Executors.newFixedThreadPool(worldSize, task ->
        {
            final Thread t = new Thread(task);
            t.setDaemon(true);
            return t;
        });
        try
        {
            final List<Future<Object>> futures = new ArrayList<>();
            for (int r = 0; r < worldSize; r++)
            {
                final int rank = r;
                futures.add(pool.submit(() ->
                {
                    Thread.currentThread().setName("rank-" + rank);
                    final JcclConfig config = worldSize == 1 ? JcclConfig.singleRank() : new JcclConfig()
                        .rank(rank).worldSize(worldSize).localRank(rank).localWorldSize(worldSize)
                        .store("127.0.0.1", port).runId(runId).token(token).timeout(Duration.ofSeconds(60))
                        .transport("tcp"); // what the README promises these tests exercise; auto would pick shm

                    try (Communicator comm = Jccl.init(config))
                    {
                        return body.apply(comm);
                    }
                    catch (final RuntimeException | Error ex)
                    {
                        return ex;
                    }
                }));
            }
            final List<Object> results = new ArrayList<>();
            for (final Future<Object> f : futures)
            {
                try
                {
                    results.add(f.get(180, TimeUnit.SECONDS));
                }
                catch (final ExecutionException ex)
                {
                    results.add(ex.getCause());
                }
            }
            return results;
        }
        finally
        {
            pool.shutdownNow();
        }
    }

    static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }
}
