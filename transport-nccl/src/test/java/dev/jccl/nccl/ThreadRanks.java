package dev.jccl.nccl;

import dev.jccl.Communicator;
import dev.jccl.Jccl;
import dev.jccl.JcclConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * N ranks as threads in one JVM, each with its own thread for life, joined through
 * {@link Jccl#init(JcclConfig)} with a loopback store rank 0 hosts (as transport-tcp's
 * ThreadedCluster does).
 */
final class ThreadRanks implements AutoCloseable
{
    private static final AtomicInteger RUNS = new AtomicInteger();
    private final ExecutorService[] threads;
    private final Communicator[] comms;

    private ThreadRanks(final int size)
    {
        threads = new ExecutorService[size];
        comms = new Communicator[size];
        for (int r = 0; r < size; r++)
        {
            final int rank = r;
            threads[r] = Executors.newSingleThreadExecutor(task ->
            {
                final Thread thread = new Thread(task, "rank-" + rank);
                thread.setDaemon(true);
                return thread;
            });
        }
    }

    static ThreadRanks start(final int size, final UnaryOperator<JcclConfig> customise) throws Exception
    {
        final int port = NcclTestSupport.freePort();
        final String runId = "nccl-test-" + ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet();
        final byte[] token = new byte[32];
        new java.security.SecureRandom().nextBytes(token);
        final ThreadRanks ranks = new ThreadRanks(size);
        final List<Future<Communicator>> joins = new ArrayList<>();
        for (int r = 0; r < size; r++)
        {
            final int rank = r;
            joins.add(ranks.threads[r].submit(() -> Jccl.init(customise.apply(new JcclConfig()
                .rank(rank).worldSize(size).localRank(rank).localWorldSize(size)
                .store("127.0.0.1", port).runId(runId).token(token).timeout(Duration.ofSeconds(60))))));
        }
        try
        {
            for (int r = 0; r < size; r++)
            {
                ranks.comms[r] = joins.get(r).get(120, TimeUnit.SECONDS);
            }
        }
        catch (final Exception ex)
        {
            ranks.close();
            throw ex;
        }
        return ranks;
    }

    Communicator comm(final int rank)
    {
        return comms[rank];
    }

    /** Runs {@code body} on every rank's thread at once; rethrows the first failure (bounded). */
    void run(final Consumer<Communicator> body) throws Exception
    {
        final List<Future<?>> futures = new ArrayList<>();
        for (int r = 0; r < comms.length; r++)
        {
            final Communicator comm = comms[r];
            futures.add(threads[r].submit(() -> body.accept(comm)));
        }
        for (final Future<?> future : futures)
        {
            future.get(300, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close()
    {
        final List<Future<?>> closes = new ArrayList<>();
        for (int r = comms.length - 1; r >= 0; r--)
        {
            final Communicator comm = comms[r];
            if (comm != null)
            {
                closes.add(threads[r].submit(comm::close));
            }
        }
        for (final Future<?> close : closes)
        {
            try
            {
                close.get(60, TimeUnit.SECONDS);
            }
            catch (final Exception ignore)
            {
                // Best effort in tests.
            }
        }
        for (final ExecutorService thread : threads)
        {
            thread.shutdownNow();
        }
    }
}
