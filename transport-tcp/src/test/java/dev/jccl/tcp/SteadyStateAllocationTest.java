package dev.jccl.tcp;

import dev.jccl.CommBuffer;
import dev.jccl.Communicator;
import dev.jccl.DataType;
import dev.jccl.ReduceOp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Zero allocation per collective call in steady state on the data path (DESIGN.md, issue 3):
 * after a warm-up, each rank's own thread allocates no bytes over 1000 calls, as counted by
 * {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}. Ranks are threads over the real
 * TCP transport on loopback, so the count covers the communicator, the algorithms, the transport's
 * progress loop, selector wake-ups and the staging of heap arrays.
 *
 * <p>Each rank counts {@value #WINDOWS} windows of {@value #CALLS} calls. A per-call allocation
 * (the smallest object is 16 bytes) would show as at least 16 000 bytes in every window; what a
 * loaded 2-core machine shows instead is an occasional stray of about 100 bytes in one window
 * (JFR with {@code -XX:-UseTLAB} finds no object allocated from the call path then, so it is the
 * VM's, e.g. a deoptimisation). So every window must stay under one 16-byte object per 10 calls,
 * and at least one window per rank must be exactly zero.
 */
class SteadyStateAllocationTest
{
    /**
     * Warm-up calls before counting: enough for C2 to compile the call path. Interpreted and C1
     * code allocate objects that C2's escape analysis removes, so a cold JVM is not steady state.
     */
    private static final int WARMUP = 10_000;
    private static final int CALLS = 1_000;
    private static final int WINDOWS = 3;
    private static final long WINDOW_LIMIT = 16L * CALLS / 10;

    private static final com.sun.management.ThreadMXBean MX = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private static long allocatedBytes()
    {
        return MX.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    /** What one reading itself costs (measured, so the assertion counts only the calls). */
    private static long probeCost()
    {
        allocatedBytes();
        final long a = allocatedBytes();
        final long b = allocatedBytes();
        return b - a;
    }

    private static void check(final long[][] results, final String what)
    {
        for (int r = 0; r < results.length; r++)
        {
            final long[] windows = results[r];
            final String seen = "rank " + r + " allocated " + Arrays.toString(windows) + " bytes in windows of " + CALLS + " " + what + " calls";
            long min = Long.MAX_VALUE;
            for (final long bytes : windows)
            {
                assertTrue(bytes < WINDOW_LIMIT, seen + ": a call allocates");
                min = Math.min(min, bytes);
            }
            assertEquals(0, min, seen + ": no window was allocation-free");
        }
    }

    @ParameterizedTest(name = "{0} ranks, {1} floats, {2}, {3}")
    @CsvSource({
        "2, 2, rd, direct",
        "2, 2, rd, heap",
        "2, 65536, ring, direct",
        "2, 65536, ring, heap",
        "3, 1000, rd, direct",
        "3, 262144, ring, direct",
        "4, 262144, ring, heap",
    })
    void allReduceAllocatesNothingAfterWarmUp(final int ranks, final int count, final String algo, final String memory)
    {
        final String tuning = "allreduce:0-inf:" + algo;
        try (ThreadedCluster cluster = ThreadedCluster.start(ranks, c -> c.algo(tuning).timeout(Duration.ofSeconds(60))))
        {
            final long[][] results = new long[ranks][];
            cluster.run(comm ->
            {
                final Consumer<Communicator> call;
                if (memory.equals("heap"))
                {
                    final float[] array = new float[count];
                    call = c -> c.allReduce(array, ReduceOp.SUM);
                }
                else
                {
                    final ByteBuffer buffer = ByteBuffer.allocateDirect(count * 4).order(ByteOrder.nativeOrder());
                    final CommBuffer wrapped = CommBuffer.of(buffer, DataType.FLOAT32, count);
                    call = c -> c.allReduce(wrapped, ReduceOp.SUM);
                }
                final int warmup = count >= 65536 ? WARMUP / 4 : WARMUP;
                for (int i = 0; i < warmup; i++)
                {
                    call.accept(comm);
                }
                final long[] windows = new long[WINDOWS];
                for (int w = 0; w < WINDOWS; w++)
                {
                    final long cost = probeCost();
                    final long before = allocatedBytes();
                    for (int i = 0; i < CALLS; i++)
                    {
                        call.accept(comm);
                    }
                    windows[w] = allocatedBytes() - before - cost;
                }
                results[comm.rank()] = windows;
            }, Duration.ofSeconds(240));
            check(results, "allreduce");
        }
    }

    @ParameterizedTest(name = "{0} ranks, {1} bytes")
    @CsvSource({
        "2, 64",
        "3, 1048576",
    })
    void broadcastAndAllGatherAllocateNothingAfterWarmUp(final int ranks, final int bytes)
    {
        try (ThreadedCluster cluster = ThreadedCluster.start(ranks, c -> c.timeout(Duration.ofSeconds(60))))
        {
            final long[][] results = new long[ranks][];
            cluster.run(comm ->
            {
                final int block = bytes / ranks / 4 * 4;
                final ByteBuffer all = ByteBuffer.allocateDirect(block * ranks).order(ByteOrder.nativeOrder());
                final CommBuffer gathered = CommBuffer.of(all, DataType.UINT8, (long)block * ranks);
                final CommBuffer whole = CommBuffer.of(all, DataType.UINT8, (long)block * ranks);
                for (int i = 0; i < WARMUP / 4; i++)
                {
                    comm.broadcast(whole, i % ranks);
                    comm.allGather(gathered);
                }
                final long[] windows = new long[WINDOWS];
                for (int w = 0; w < WINDOWS; w++)
                {
                    final long cost = probeCost();
                    final long before = allocatedBytes();
                    for (int i = 0; i < CALLS / 2; i++)
                    {
                        comm.broadcast(whole, i % ranks);
                        comm.allGather(gathered);
                    }
                    windows[w] = allocatedBytes() - before - cost;
                }
                results[comm.rank()] = windows;
            }, Duration.ofSeconds(240));
            check(results, "broadcast/allgather");
        }
    }
}
