package dev.jccl.tcp;

import dev.jccl.Communicator;
import dev.jccl.Jccl;
import dev.jccl.JcclConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * N ranks as threads in one JVM, joined through {@link Jccl#init(JcclConfig)} over the real TCP
 * transport and store on loopback. Each rank keeps its own thread for its whole life, because a
 * communicator is used by one thread at a time.
 */
public final class ThreadedCluster implements AutoCloseable
{
    private static final AtomicInteger RUNS = new AtomicInteger();

    private final int size;
    private int storePort;
    private String runId;
    private byte[] token;
    private final ExecutorService[] threads;
    private final Communicator[] comms;

    private ThreadedCluster(final int size)
    {
        this.size = size;
        this.threads = new ExecutorService[size];
        this.comms = new Communicator[size];
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

    /** Starts {@code size} ranks with a fresh run id and a random job token. */
    public static ThreadedCluster start(final int size)
    {
        return start(size, config -> config);
    }

    /** Starts ranks whose configs {@code customise} may adjust (timeout, algorithm, ...). */
    public static ThreadedCluster start(final int size, final UnaryOperator<JcclConfig> customise)
    {
        final int port = freePort();
        final String runId = "cluster-" + ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet();
        final byte[] token = new byte[32];
        new java.security.SecureRandom().nextBytes(token);
        final ThreadedCluster cluster = new ThreadedCluster(size);
        cluster.storePort = port;
        cluster.runId = runId;
        cluster.token = token.clone();
        final List<Future<Communicator>> joins = new ArrayList<>();
        for (int r = 0; r < size; r++)
        {
            final int rank = r;
            joins.add(cluster.threads[r].submit(() -> Jccl.init(customise.apply(new JcclConfig()
                .rank(rank).worldSize(size).localRank(rank).localWorldSize(size)
                .store("127.0.0.1", port).runId(runId).token(token).timeout(Duration.ofSeconds(60))
                .kernels(System.getProperty("jccl.kernels", System.getenv("JCCL_KERNELS")))))));
        }
        try
        {
            for (int r = 0; r < size; r++)
            {
                cluster.comms[r] = joins.get(r).get(90, TimeUnit.SECONDS);
            }
        }
        catch (final Exception ex)
        {
            cluster.close();
            throw new IllegalStateException("cluster of " + size + " failed to start", ex);
        }
        return cluster;
    }

    public int size()
    {
        return size;
    }

    /** Loopback port of the bootstrap store rank 0 hosts. */
    public int storePort()
    {
        return storePort;
    }

    public String runId()
    {
        return runId;
    }

    public byte[] token()
    {
        return token.clone();
    }

    public Communicator comm(final int rank)
    {
        return comms[rank];
    }

    /** Runs {@code body} on every rank's own thread at once and waits for all (bounded). */
    public void run(final Consumer<Communicator> body)
    {
        run(body, Duration.ofSeconds(120));
    }

    public void run(final Consumer<Communicator> body, final Duration limit)
    {
        final List<Future<?>> futures = new ArrayList<>();
        for (int r = 0; r < size; r++)
        {
            final Communicator comm = comms[r];
            futures.add(threads[r].submit(() -> body.accept(comm)));
        }
        final long deadline = System.nanoTime() + limit.toNanos();
        AssertionError failure = null;
        final StringBuilder report = new StringBuilder();
        for (int r = 0; r < size; r++)
        {
            Throwable cause = null;
            try
            {
                futures.get(r).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            catch (final ExecutionException ex)
            {
                cause = ex.getCause();
                report.append("\n  rank ").append(r).append(" failed: ").append(cause);
            }
            catch (final TimeoutException ex)
            {
                report.append("\n  rank ").append(r).append(" did not finish within ").append(limit);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new AssertionError(ex);
            }
            // A rank's own assertion is the root cause; the others' collective errors follow from it.
            if (cause instanceof AssertionError && (failure == null || !(failure.getCause() instanceof AssertionError)))
            {
                failure = new AssertionError("", cause);
            }
            else if (cause != null && failure == null)
            {
                failure = new AssertionError("", cause);
            }
        }
        if (report.length() > 0)
        {
            final AssertionError error = new AssertionError("ranks failed:" + report, failure == null ? null : failure.getCause());
            throw error;
        }
    }

    /** Runs {@code body} on every rank and returns what each rank's call threw (null where none), bounded. */
    public Throwable[] runExpectingFailure(final Consumer<Communicator> body, final Duration limit)
    {
        final List<Future<?>> futures = new ArrayList<>();
        for (int r = 0; r < size; r++)
        {
            final Communicator comm = comms[r];
            futures.add(threads[r].submit(() -> body.accept(comm)));
        }
        final Throwable[] thrown = new Throwable[size];
        final long deadline = System.nanoTime() + limit.toNanos();
        for (int r = 0; r < size; r++)
        {
            try
            {
                futures.get(r).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            catch (final ExecutionException ex)
            {
                thrown[r] = ex.getCause();
            }
            catch (final TimeoutException ex)
            {
                throw new AssertionError("rank " + r + " hung: no result within " + limit);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new AssertionError(ex);
            }
        }
        return thrown;
    }

    public static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public void close()
    {
        // Close every rank on its own thread in parallel: rank 0 hosts the store and closes last.
        final List<Future<?>> closes = new ArrayList<>();
        for (int r = size - 1; r >= 0; r--)
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
                close.get(30, TimeUnit.SECONDS);
            }
            catch (final Exception ignore)
            {
                // Closing is best effort in tests; a hung close shows up as a slow suite.
            }
        }
        for (final ExecutorService thread : threads)
        {
            thread.shutdownNow();
        }
    }
}
