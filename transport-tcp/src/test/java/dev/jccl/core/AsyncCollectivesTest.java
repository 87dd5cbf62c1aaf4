package dev.jccl.core;

import dev.jccl.JcclConfig;
import dev.jccl.CollectiveException;
import dev.jccl.CommBuffer;
import dev.jccl.Communicator;
import dev.jccl.CommunicatorAbortedException;
import dev.jccl.DataType;
import dev.jccl.ReduceOp;
import dev.jccl.tcp.ThreadedCluster;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The async collectives over the real TCP transport, ranks as threads: same results as the
 * blocking calls, completion in issue order, blocking calls ordered behind async ones, buffer
 * races refused, failures and close reaching every pending future, all bounded.
 */
public class AsyncCollectivesTest
{
    /** The JCCL_TRANSPORT the tests run over; transport-shm's ShmAsyncCollectivesTest overrides it. */
    protected String transport()
    {
        return "tcp";
    }

    private ThreadedCluster start(final int size)
    {
        return start(size, UnaryOperator.identity());
    }

    private ThreadedCluster start(final int size, final UnaryOperator<JcclConfig> customise)
    {
        return ThreadedCluster.start(size, c -> customise.apply(c.transport(transport())));
    }

    private static final Duration QUICK = Duration.ofSeconds(60);

    @Test
    void asyncResultsEqualBlockingResultsForEveryCollective()
    {
        try (ThreadedCluster cluster = start(3))
        {
            cluster.run(comm ->
            {
                final int n = comm.size();
                final int count = 1000 * n + 3 * n;
                // allReduce, in place (array) and out of place (CommBuffer, direct)
                final float[] syncSum = values(comm.rank(), count);
                comm.allReduce(syncSum, ReduceOp.SUM);
                final float[] asyncSum = values(comm.rank(), count);
                join(comm.allReduceAsync(asyncSum, ReduceOp.SUM));
                assertArrayEquals(syncSum, asyncSum);
                final ByteBuffer direct = ByteBuffer.allocateDirect(count * 4).order(ByteOrder.nativeOrder());
                direct.asFloatBuffer().put(values(comm.rank(), count));
                final float[] out = new float[count];
                join(comm.allReduceAsync(CommBuffer.of(direct, DataType.FLOAT32, count), CommBuffer.of(out), ReduceOp.SUM));
                assertArrayEquals(syncSum, out);
                final int[] syncMax = ints(comm.rank(), count);
                final int[] asyncMax = ints(comm.rank(), count);
                comm.allReduce(syncMax, ReduceOp.MAX);
                join(comm.allReduceAsync(CommBuffer.of(asyncMax), ReduceOp.MAX));
                assertArrayEquals(syncMax, asyncMax);

                // broadcast, in place and out of place, from the last rank
                final double[] syncCast = doubles(comm.rank(), count);
                comm.broadcast(syncCast, n - 1);
                final double[] asyncCast = doubles(comm.rank(), count);
                join(comm.broadcastAsync(asyncCast, n - 1));
                assertArrayEquals(syncCast, asyncCast);
                final double[] castOut = new double[count];
                join(comm.broadcastAsync(CommBuffer.of(doubles(comm.rank(), count)), CommBuffer.of(castOut), n - 1));
                assertArrayEquals(syncCast, castOut);

                // allGather, out of place (array) and in place (CommBuffer)
                final long[] mine = longs(comm.rank(), count / n);
                final long[] syncAll = new long[count];
                comm.allGather(mine, syncAll);
                final long[] asyncAll = new long[count];
                join(comm.allGatherAsync(mine, asyncAll));
                assertArrayEquals(syncAll, asyncAll);
                final long[] inPlace = new long[count];
                System.arraycopy(mine, 0, inPlace, comm.rank() * (count / n), count / n);
                join(comm.allGatherAsync(CommBuffer.of(inPlace)));
                assertArrayEquals(syncAll, inPlace);

                // reduceScatter, out of place (array) and in place (CommBuffer)
                final int block = count / n;
                final float[] syncBlock = new float[block];
                comm.reduceScatter(values(comm.rank(), count), syncBlock, ReduceOp.SUM);
                final float[] asyncBlock = new float[block];
                join(comm.reduceScatterAsync(values(comm.rank(), count), asyncBlock, ReduceOp.SUM));
                assertArrayEquals(syncBlock, asyncBlock);
                final float[] scatterInPlace = values(comm.rank(), count);
                join(comm.reduceScatterAsync(CommBuffer.of(scatterInPlace), ReduceOp.SUM));
                final float[] mineOfIt = new float[block];
                System.arraycopy(scatterInPlace, comm.rank() * block, mineOfIt, 0, block);
                assertArrayEquals(syncBlock, mineOfIt);

                // byte[] form as INT8, as the blocking call
                final byte[] syncBytes = { 1, 2, 3, (byte)comm.rank() };
                final byte[] asyncBytes = syncBytes.clone();
                comm.allReduce(syncBytes, ReduceOp.SUM);
                join(comm.allReduceAsync(asyncBytes, ReduceOp.SUM));
                assertArrayEquals(syncBytes, asyncBytes);
            }, QUICK);
        }
    }

    @Test
    void hundredOverlappingAsyncCallsCompleteInIssueOrderWithRightResults()
    {
        try (ThreadedCluster cluster = start(3))
        {
            cluster.run(comm ->
            {
                final int calls = 100;
                final List<Integer> completed = Collections.synchronizedList(new ArrayList<>());
                final List<CompletableFuture<Void>> futures = new ArrayList<>();
                final float[][] sums = new float[calls][];
                final int[][] gathered = new int[calls][];
                for (int i = 0; i < calls; i++)
                {
                    // Mixed kinds and sizes, from one element to ~200k (several ring segments).
                    final int count = (i % 7 == 0) ? 200_003 : 1 + (i * 37) % 5000;
                    final int call = i;
                    final CompletableFuture<Void> future;
                    if (i % 3 == 2)
                    {
                        final int[] block = new int[count];
                        java.util.Arrays.fill(block, comm.rank() * 1000 + i);
                        gathered[i] = new int[count * comm.size()];
                        future = comm.allGatherAsync(block, gathered[i]);
                    }
                    else
                    {
                        sums[i] = values(comm.rank() + i, count);
                        future = comm.allReduceAsync(sums[i], ReduceOp.SUM);
                    }
                    futures.add(future);
                    future.thenRun(() -> completed.add(call));
                }
                CompletableFuture.allOf(futures.toArray(new CompletableFuture[0])).join();
                // Every thenRun above ran on completion; the list is complete once all are done.
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (completed.size() < calls && System.nanoTime() < deadline)
                {
                    Thread.onSpinWait();
                }
                final List<Integer> inOrder = new ArrayList<>();
                for (int i = 0; i < calls; i++)
                {
                    inOrder.add(i);
                }
                assertEquals(inOrder, completed, "completion order");
                for (int i = 0; i < calls; i++)
                {
                    if (sums[i] != null)
                    {
                        assertArrayEquals(expectedSum(i, comm.size(), sums[i].length), sums[i], "call " + i);
                    }
                    else
                    {
                        final int block = gathered[i].length / comm.size();
                        for (int j = 0; j < gathered[i].length; j++)
                        {
                            assertEquals((j / block) * 1000 + i, gathered[i][j], "call " + i + " element " + j);
                        }
                    }
                }
            }, Duration.ofSeconds(120));
        }
    }

    @Test
    void blockingCallAfterAsyncCallsRunsAfterThem()
    {
        try (ThreadedCluster cluster = start(3))
        {
            cluster.run(comm ->
            {
                if (comm.rank() == 1)
                {
                    sleep(300); // keep the async calls in flight on the others when they reach the blocking call
                }
                final float[] big = values(comm.rank(), 300_000);
                final CompletableFuture<Void> first = comm.allReduceAsync(big, ReduceOp.SUM);
                final int[] small = { comm.rank() };
                final CompletableFuture<Void> second = comm.allReduceAsync(small, ReduceOp.MAX);
                final double[] blocking = { comm.rank() + 1 };
                comm.allReduce(blocking, ReduceOp.SUM);
                assertTrue(first.isDone() && second.isDone(), "the blocking call returned before the async calls issued earlier");
                join(first);
                join(second);
                assertEquals(comm.size() * (comm.size() + 1) / 2.0, blocking[0]);
                assertEquals(comm.size() - 1, small[0]);
                assertArrayEquals(expectedSum(0, comm.size(), big.length), big);
                // and async after blocking still works
                final int[] again = { 1 };
                join(comm.allReduceAsync(again, ReduceOp.SUM));
                assertEquals(comm.size(), again[0]);
            }, QUICK);
        }
    }

    @Test
    void callsOnABufferInFlightThrowIllegalStateException()
    {
        try (ThreadedCluster cluster = start(2))
        {
            cluster.run(comm ->
            {
                final float[] grad = values(comm.rank(), 1000);
                final float[] shared = values(comm.rank(), 10);
                if (comm.rank() == 1)
                {
                    sleep(300); // rank 0's call cannot finish before rank 1 joins it
                    join(comm.allReduceAsync(grad, ReduceOp.SUM));
                    join(comm.allGatherAsync(shared, new float[20]));
                    join(comm.allGatherAsync(shared, new float[20]));
                    join(comm.allReduceAsync(CommBuffer.of(grad, 0, 500), ReduceOp.SUM));
                    join(comm.allReduceAsync(CommBuffer.of(grad, 500, 500), ReduceOp.SUM));
                    return;
                }
                final CompletableFuture<Void> inFlight = comm.allReduceAsync(grad, ReduceOp.SUM);
                final IllegalStateException blocking = assertThrows(IllegalStateException.class, () -> comm.allReduce(grad, ReduceOp.SUM));
                assertTrue(blocking.getMessage().contains("in use"), blocking.getMessage());
                assertThrows(IllegalStateException.class, () -> comm.allReduceAsync(grad, ReduceOp.MAX));
                assertThrows(IllegalStateException.class, () -> comm.broadcastAsync(CommBuffer.of(grad, 999, 1), 0));
                // reading memory that an unfinished call writes is refused too
                assertThrows(IllegalStateException.class, () -> comm.allGatherAsync(CommBuffer.of(grad, 0, 1), CommBuffer.of(new float[2])));
                assertFalse(inFlight.isDone(), "rank 1 has not joined yet");
                join(inFlight);
                // Two calls that only read the same send buffer may overlap; so may disjoint ranges of one array.
                final CompletableFuture<Void> readA = comm.allGatherAsync(shared, new float[20]);
                final CompletableFuture<Void> readB = comm.allGatherAsync(shared, new float[20]);
                final CompletableFuture<Void> low = comm.allReduceAsync(CommBuffer.of(grad, 0, 500), ReduceOp.SUM);
                final CompletableFuture<Void> high = comm.allReduceAsync(CommBuffer.of(grad, 500, 500), ReduceOp.SUM);
                CompletableFuture.allOf(readA, readB, low, high).join();
            }, QUICK);
        }
    }

    @Test
    void badArgumentsThrowAtTheCallAndQueueNothing()
    {
        try (ThreadedCluster cluster = start(2))
        {
            cluster.run(comm ->
            {
                assertThrows(IllegalArgumentException.class, () -> comm.allReduceAsync(new float[3], new float[4], ReduceOp.SUM));
                assertThrows(IllegalArgumentException.class, () -> comm.broadcastAsync(new float[3], 2));
                assertThrows(IllegalArgumentException.class, () -> comm.allGatherAsync(new int[3], new int[5]));
                assertThrows(IllegalArgumentException.class, () -> comm.reduceScatterAsync(new int[3], new int[3], ReduceOp.SUM));
                assertThrows(IllegalArgumentException.class, () -> comm.allReduceAsync((float[])null, ReduceOp.SUM));
                assertThrows(IllegalArgumentException.class, () -> comm.allReduceAsync(new float[1], null));
                // Nothing was queued: the next calls match across ranks.
                final int[] one = { 1 };
                join(comm.allReduceAsync(one, ReduceOp.SUM));
                assertEquals(2, one[0]);
            }, QUICK);
        }
    }

    @Test
    void callFromACompletionActionOnTheProgressThreadThrows()
    {
        final CountDownLatch attached = new CountDownLatch(1);
        try (ThreadedCluster cluster = start(2))
        {
            cluster.run(comm ->
            {
                if (comm.rank() == 1)
                {
                    // Rank 0's call cannot complete before rank 1's starts, so its action is
                    // attached to an incomplete future and runs on the progress thread (attached
                    // to a complete one it would run on the caller's thread, where calls are fine).
                    assertTrue(await(attached), "rank 0 attached its action");
                    join(comm.allReduceAsync(new int[1], ReduceOp.SUM));
                }
                else
                {
                    final AtomicReference<Throwable> seen = new AtomicReference<>();
                    final CompletableFuture<Void> future = comm.allReduceAsync(new int[1], ReduceOp.SUM);
                    final CompletableFuture<Void> action = future.thenRun(() ->
                    {
                        try
                        {
                            comm.barrier();
                        }
                        catch (final Throwable ex)
                        {
                            seen.set(ex);
                        }
                    });
                    attached.countDown();
                    join(action);
                    assertInstanceOf(IllegalStateException.class, seen.get(), "barrier from the progress thread");
                }
                comm.barrier(); // from the rank's own thread it is fine
            }, QUICK);
        }
    }

    private static boolean await(final CountDownLatch latch)
    {
        try
        {
            return latch.await(30, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void abortedPeerFailsPendingAndLaterFutures()
    {
        try (ThreadedCluster cluster = start(3, config -> config.timeout(Duration.ofSeconds(30))))
        {
            final Throwable[] thrown = cluster.runExpectingFailure(comm ->
            {
                if (comm.rank() == 2)
                {
                    sleep(300);
                    comm.abort();
                    return;
                }
                final List<CompletableFuture<Void>> futures = new ArrayList<>();
                for (int i = 0; i < 10; i++)
                {
                    futures.add(comm.allReduceAsync(new float[50_000], ReduceOp.SUM));
                }
                for (final CompletableFuture<Void> future : futures)
                {
                    final Throwable cause = causeOf(future, 20);
                    assertInstanceOf(CollectiveException.class, cause, "a pending future's failure");
                }
                // The communicator is broken: a later call fails at once, with the same kind of exception.
                final CompletableFuture<Void> later = comm.allReduceAsync(new float[1], ReduceOp.SUM);
                assertInstanceOf(CollectiveException.class, causeOf(later, 5));
                assertThrows(CollectiveException.class, () -> comm.allReduce(new float[1], ReduceOp.SUM));
            }, QUICK);
            for (final Throwable t : thrown)
            {
                if (t != null)
                {
                    throw new AssertionError("a rank failed", t);
                }
            }
        }
    }

    @Test
    void closeWithPendingFuturesFailsThemAndStopsTheThreadInBoundedTime()
    {
        try (ThreadedCluster cluster = start(2, config -> config.timeout(Duration.ofSeconds(120))))
        {
            final Throwable[] thrown = cluster.runExpectingFailure(comm ->
            {
                if (comm.rank() == 1)
                {
                    // Never joins the calls: rank 0's first call runs until rank 0 closes.
                    sleep(1000);
                    return;
                }
                final AtomicReference<Thread> progress = new AtomicReference<>();
                final List<CompletableFuture<Void>> futures = new ArrayList<>();
                for (int i = 0; i < 5; i++)
                {
                    futures.add(comm.allReduceAsync(new float[1000], ReduceOp.SUM));
                }
                futures.get(0).whenComplete((v, ex) -> progress.compareAndSet(null, Thread.currentThread()));
                sleep(200);
                final long start = System.nanoTime();
                comm.close();
                final long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(closeMillis < 30_000, "close took " + closeMillis + " ms with a 120 s timeout");
                for (final CompletableFuture<Void> future : futures)
                {
                    assertInstanceOf(CommunicatorAbortedException.class, causeOf(future, 1));
                }
                final Thread thread = progress.get();
                assertNotNull(thread, "the first future completed on the progress thread");
                assertTrue(thread.getName().startsWith("jccl-progress-0"), thread.getName());
                assertTrue(thread.isDaemon());
                waitUntilDead(thread);
                assertThrows(IllegalStateException.class, () -> comm.allReduceAsync(new float[1], ReduceOp.SUM));
            }, QUICK);
            if (thrown[0] != null)
            {
                throw new AssertionError("rank 0 failed", thrown[0]);
            }
        }
    }

    @Test
    void blockingCallWaitingBehindAsyncCallsIsReleasedByAbortFromAnotherThread()
    {
        try (ThreadedCluster cluster = start(2, config -> config.timeout(Duration.ofSeconds(120))))
        {
            final Throwable[] thrown = cluster.runExpectingFailure(comm ->
            {
                if (comm.rank() == 1)
                {
                    sleep(1500); // never joins: rank 0's async call stays in flight
                    return;
                }
                final CompletableFuture<Void> pending = comm.allReduceAsync(new float[100], ReduceOp.SUM);
                final Thread aborter = new Thread(() ->
                {
                    sleep(300);
                    comm.abort();
                }, "aborter");
                aborter.start();
                final long start = System.nanoTime();
                assertThrows(CollectiveException.class, () -> comm.barrier(), "the barrier waits behind the async call, then fails");
                assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) < 30, "released by the abort, not the timeout");
                assertInstanceOf(CommunicatorAbortedException.class, causeOf(pending, 5));
            }, QUICK);
            if (thrown[0] != null)
            {
                throw new AssertionError("rank 0 failed", thrown[0]);
            }
        }
    }

    @Test
    void closeStopsAnIdleProgressThread()
    {
        try (ThreadedCluster cluster = start(2))
        {
            final Thread[] progress = new Thread[2];
            cluster.run(comm ->
            {
                if (comm.rank() == 1)
                {
                    sleep(200); // so the action below is attached before rank 0's call completes
                }
                final AtomicReference<Thread> seen = new AtomicReference<>();
                join(comm.allReduceAsync(new int[4], ReduceOp.SUM).thenRun(() -> seen.set(Thread.currentThread())));
                progress[comm.rank()] = seen.get();
                comm.close();
            }, QUICK);
            assertNotNull(progress[0]);
            waitUntilDead(progress[0]);
        }
    }

    // ------------------------------------------------------------------ helpers

    static void join(final CompletableFuture<Void> future)
    {
        try
        {
            future.get(60, TimeUnit.SECONDS);
        }
        catch (final ExecutionException ex)
        {
            throw new AssertionError("async call failed", ex.getCause());
        }
        catch (final Exception ex)
        {
            throw new AssertionError("async call did not complete", ex);
        }
    }

    private static Throwable causeOf(final CompletableFuture<Void> future, final int seconds)
    {
        try
        {
            future.get(seconds, TimeUnit.SECONDS);
        }
        catch (final ExecutionException | CompletionException ex)
        {
            return ex.getCause();
        }
        catch (final Exception ex)
        {
            fail("future did not fail within " + seconds + " s: " + ex);
        }
        fail("future completed normally");
        return null;
    }

    private static void waitUntilDead(final Thread thread)
    {
        try
        {
            thread.join(10_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        assertFalse(thread.isAlive(), thread.getName() + " still alive after close");
    }

    static void sleep(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }

    /** Small integers, exact in float under SUM for any order of additions. */
    static float[] values(final int seed, final int count)
    {
        final float[] v = new float[count];
        for (int i = 0; i < count; i++)
        {
            v[i] = (seed * 7 + i) % 101;
        }
        return v;
    }

    static float[] expectedSum(final int offset, final int size, final int count)
    {
        final float[] sum = new float[count];
        for (int r = 0; r < size; r++)
        {
            final float[] v = values(r + offset, count);
            for (int i = 0; i < count; i++)
            {
                sum[i] += v[i];
            }
        }
        return sum;
    }

    private static int[] ints(final int seed, final int count)
    {
        final int[] v = new int[count];
        for (int i = 0; i < count; i++)
        {
            v[i] = (seed * 31 + i * 17) % 1009;
        }
        return v;
    }

    private static long[] longs(final int seed, final int count)
    {
        final long[] v = new long[count];
        for (int i = 0; i < count; i++)
        {
            v[i] = ((long)seed << 40) + i;
        }
        return v;
    }

    private static double[] doubles(final int seed, final int count)
    {
        final double[] v = new double[count];
        for (int i = 0; i < count; i++)
        {
            v[i] = seed + i * 0.5;
        }
        return v;
    }
}
