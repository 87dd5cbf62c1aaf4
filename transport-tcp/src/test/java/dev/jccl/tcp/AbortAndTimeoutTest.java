package dev.jccl.tcp;

import dev.jccl.CollectiveException;
import dev.jccl.CollectiveTimeoutException;
import dev.jccl.Communicator;
import dev.jccl.CommunicatorAbortedException;
import dev.jccl.ReduceOp;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Timeouts, abort and close over the real TCP transport, ranks as threads: a per-call timeout
 * overrides the communicator's and its exception names the collective, the call number and the
 * ranks not heard from; abort from another thread releases a blocked call at once on every rank;
 * close returns promptly even with a call blocked on a peer that never comes; and a new
 * communicator can be built in the same process afterwards.
 */
class AbortAndTimeoutTest
{
    private static final Duration LIMIT = Duration.ofSeconds(30);

    @Test
    void perCallTimeoutNamesCollectiveSequenceAndSilentRanks()
    {
        try (ThreadedCluster cluster = ThreadedCluster.start(3, c -> c.timeout(Duration.ofMinutes(5))))
        {
            final long start = System.nanoTime();
            final Throwable[] thrown = cluster.runExpectingFailure(comm ->
            {
                comm.barrier();
                if (comm.rank() != 2)
                {
                    comm.withTimeout(Duration.ofSeconds(1)).allReduce(new float[8], ReduceOp.SUM);
                }
                else
                {
                    sleep(4_000);
                    comm.allReduce(new float[8], ReduceOp.SUM);
                }
            }, LIMIT);
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20), "per-call timeout must apply, not the 5 min default");
            final String message = thrown[0].getMessage();
            assertInstanceOf(CollectiveTimeoutException.class, thrown[0], String.valueOf(thrown[0]));
            // Rank 0 names the peers it waits on directly (in a ring, rank 1, itself waiting on rank 2).
            assertTrue(message.contains("allReduce") && message.contains("seq 2") && message.contains("ranks not heard from: rank ") &&
                message.contains("PT1S"), message);
            for (final Throwable t : thrown)
            {
                assertInstanceOf(CollectiveException.class, t, String.valueOf(t));
            }
        }
    }

    @Test
    void viewAndCommunicatorShareSequenceAndDefaultStillApplies()
    {
        try (ThreadedCluster cluster = ThreadedCluster.start(2))
        {
            cluster.run(comm ->
            {
                final Communicator quick = comm.withTimeout(Duration.ofSeconds(30));
                assertEquals(comm.rank(), quick.rank());
                final int[] v = { comm.rank() + 1 };
                quick.allReduce(v, ReduceOp.SUM);
                comm.allReduce(v, ReduceOp.SUM);
                quick.withTimeout(Duration.ofSeconds(20)).allReduce(v, ReduceOp.SUM);
                assertEquals(12, v[0]);
                assertThrows(IllegalArgumentException.class, () -> comm.withTimeout(Duration.ZERO));
                assertThrows(IllegalArgumentException.class, () -> comm.withTimeout(null));
            });
        }
    }

    @Test
    void abortFromAnotherThreadUnblocksEveryRankAtOnce()
    {
        try (ThreadedCluster cluster = ThreadedCluster.start(3, c -> c.timeout(Duration.ofMinutes(5))))
        {
            final Communicator victim = cluster.comm(0);
            final CompletableFuture<Void> aborter = CompletableFuture.runAsync(() ->
            {
                sleep(1_000);
                victim.abort();
            });
            final long start = System.nanoTime();
            // Rank 1 never joins: ranks 0 and 2 block until the abort.
            final Throwable[] thrown = cluster.runExpectingFailure(comm ->
            {
                if (comm.rank() != 1)
                {
                    comm.allReduce(new double[1000], ReduceOp.SUM);
                }
                else
                {
                    sleep(3_000);
                    throw new CommunicatorAbortedException("rank 1 stayed out");
                }
            }, LIMIT);
            final long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            aborter.join();
            assertInstanceOf(CommunicatorAbortedException.class, thrown[0], String.valueOf(thrown[0]));
            assertInstanceOf(CommunicatorAbortedException.class, thrown[2], String.valueOf(thrown[2]));
            assertTrue(thrown[2].getMessage().contains("rank 0"), thrown[2].getMessage());
            assertTrue(ms < 10_000, "abort took " + ms + " ms");
            // Broken: every later call throws at once, on every rank. The rank that stayed out of call 1
            // may instead report that mismatch (rank 0's data for call 1 is ahead of the ABORT frame).
            final Throwable[] again = cluster.runExpectingFailure(comm ->
            {
                final long t0 = System.nanoTime();
                final CollectiveException ex = assertThrows(CollectiveException.class, comm::barrier);
                assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1), "must throw at once");
                throw ex;
            }, LIMIT);
            assertInstanceOf(CommunicatorAbortedException.class, again[0], String.valueOf(again[0]));
            assertInstanceOf(CollectiveException.class, again[1], String.valueOf(again[1]));
            assertInstanceOf(CommunicatorAbortedException.class, again[2], String.valueOf(again[2]));
        }
    }

    @Test
    void closeReturnsPromptlyWhileAnotherThreadIsBlockedOnASilentPeer() throws Exception
    {
        final ThreadedCluster cluster = ThreadedCluster.start(2, c -> c.timeout(Duration.ofMinutes(5)));
        try
        {
            final Communicator blocked = cluster.comm(0);
            final CompletableFuture<Throwable> call = new CompletableFuture<>();
            final Thread caller = new Thread(() ->
            {
                try
                {
                    blocked.allReduce(new float[16], ReduceOp.SUM);
                    call.complete(null);
                }
                catch (final Throwable t)
                {
                    call.complete(t);
                }
            });
            caller.start();
            sleep(500);
            final long start = System.nanoTime();
            blocked.close();
            final long closeMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            final Throwable thrown = call.get(10, TimeUnit.SECONDS);
            assertNotNull(thrown, "the blocked call must fail, not return");
            assertInstanceOf(CollectiveException.class, thrown, String.valueOf(thrown));
            assertTrue(closeMs < 5_000, "close took " + closeMs + " ms");
        }
        finally
        {
            cluster.close();
        }
    }

    @Test
    void newCommunicatorWorksInTheSameProcessAfterAFailure()
    {
        try (ThreadedCluster broken = ThreadedCluster.start(2))
        {
            broken.comm(1).abort();
            broken.runExpectingFailure(Communicator::barrier, LIMIT);
        }
        try (ThreadedCluster fresh = ThreadedCluster.start(2))
        {
            fresh.run(comm ->
            {
                final long[] v = { 5 };
                comm.allReduce(v, ReduceOp.SUM);
                assertEquals(10, v[0]);
            });
        }
    }

    private static void sleep(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
