package dev.jccl.bench;

import dev.jccl.Communicator;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Runs N ranks as threads of one JVM: each thread joins, runs the body with its own communicator
 * and closes it. When one rank fails, the others' communicators are aborted so nobody waits for
 * the failed rank until the timeout.
 */
public final class ThreadedRanks
{
    private ThreadedRanks()
    {
    }

    /**
     * @return each rank's result, by rank.
     * @throws PerfFailure carrying the first rank's failure.
     */
    public static <T> List<T> run(final int nranks, final IntFunction<Communicator> join, final Function<Communicator, T> body)
    {
        final AtomicReferenceArray<Communicator> comms = new AtomicReferenceArray<>(nranks);
        final AtomicReferenceArray<T> results = new AtomicReferenceArray<>(nranks);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicReference<Integer> failedRank = new AtomicReference<>();
        final List<Thread> threads = new ArrayList<>();
        for (int r = 0; r < nranks; r++)
        {
            final int rank = r;
            final Thread thread = new Thread(() ->
            {
                Communicator comm = null;
                try
                {
                    comm = join.apply(rank);
                    comms.set(rank, comm);
                    if (failure.get() != null)
                    {
                        comm.abort();
                    }
                    results.set(rank, body.apply(comm));
                }
                catch (final Throwable ex)
                {
                    if (failure.compareAndSet(null, ex))
                    {
                        failedRank.set(rank);
                        for (int other = 0; other < nranks; other++)
                        {
                            final Communicator c = comms.get(other);
                            if (other != rank && c != null)
                            {
                                c.abort();
                            }
                        }
                    }
                }
                finally
                {
                    if (comm != null)
                    {
                        comm.close();
                    }
                }
            }, "jccl-perf-rank-" + rank);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        for (final Thread thread : threads)
        {
            try
            {
                thread.join();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                for (int r = 0; r < nranks; r++)
                {
                    final Communicator c = comms.get(r);
                    if (c != null)
                    {
                        c.abort();
                    }
                }
                throw new PerfFailure("interrupted while waiting for the ranks", ex);
            }
        }
        if (failure.get() != null)
        {
            final Throwable ex = failure.get();
            throw new PerfFailure("rank " + failedRank.get() + " failed: " + ex, ex);
        }
        final List<T> out = new ArrayList<>();
        for (int r = 0; r < nranks; r++)
        {
            out.add(results.get(r));
        }
        return out;
    }

    /** A rank of a threaded run failed; the cause is that rank's exception. */
    public static final class PerfFailure extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        PerfFailure(final String message, final Throwable cause)
        {
            super(message, cause);
        }
    }
}
