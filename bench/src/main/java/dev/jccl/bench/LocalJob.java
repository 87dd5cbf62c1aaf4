package dev.jccl.bench;

import dev.jccl.Communicator;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * N communicators of one job in this JVM, joined concurrently and then handed to the caller (JMH
 * benchmarks drive them from their own threads). Close releases every communicator and the job.
 */
public final class LocalJob implements AutoCloseable
{
    private final CommFactory.ThreadedJob job;
    private final Communicator[] comms;

    private LocalJob(final CommFactory.ThreadedJob job, final Communicator[] comms)
    {
        this.job = job;
        this.comms = comms;
    }

    /**
     * @param collective the collective {@code algo} applies to ("all_reduce").
     * @param algo       an algorithm name or JCCL_ALGO string, null for the library's choice.
     * @param transport  "tcp", "shm", ... or null for auto.
     */
    public static LocalJob start(final int nranks, final String collective, final String algo, final String transport)
    {
        return start(new JcclCommFactory(), nranks, collective, algo, transport);
    }

    static LocalJob start(final CommFactory factory, final int nranks, final String collective, final String algo, final String transport)
    {
        final PerfOptions options = PerfOptions.parse(collective, "-t", Integer.toString(nranks));
        final PerfColl coll = PerfColls.byName(options.collective());
        final CommFactory.ThreadedJob job = factory.threaded(nranks, options, coll, new PerfOptions.Variant(algo, transport), 0);
        final ExecutorService pool = Executors.newFixedThreadPool(nranks, r ->
        {
            final Thread t = new Thread(r, "local-job-join");
            t.setDaemon(true);
            return t;
        });
        final List<Future<Communicator>> joins = new ArrayList<>();
        for (int r = 0; r < nranks; r++)
        {
            final int rank = r;
            joins.add(pool.submit(() -> job.join(rank)));
        }
        final Communicator[] comms = new Communicator[nranks];
        try
        {
            for (int r = 0; r < nranks; r++)
            {
                comms[r] = joins.get(r).get(120, TimeUnit.SECONDS);
            }
            return new LocalJob(job, comms);
        }
        catch (final InterruptedException | ExecutionException | TimeoutException ex)
        {
            for (final Future<Communicator> f : joins)
            {
                f.cancel(true);
            }
            for (final Communicator c : comms)
            {
                if (c != null)
                {
                    c.abort();
                    c.close();
                }
            }
            job.close();
            if (ex instanceof InterruptedException)
            {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("a job of " + nranks + " ranks failed to start: " + ex, ex);
        }
        finally
        {
            pool.shutdownNow();
        }
    }

    public int size()
    {
        return comms.length;
    }

    public Communicator comm(final int rank)
    {
        return comms[rank];
    }

    @Override
    public void close()
    {
        for (final Communicator c : comms)
        {
            c.close();
        }
        job.close();
    }
}
