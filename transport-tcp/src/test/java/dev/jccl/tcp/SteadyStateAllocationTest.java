package dev.jccl.tcp;

import dev.jccl.CommBuffer;
import dev.jccl.Communicator;
import dev.jccl.DataType;
import dev.jccl.ReduceOp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.function.Consumer;


/**
 * Zero allocation per collective call in steady state on the data path (DESIGN.md, issue 3):
 * after a warm-up, each rank's own thread allocates no bytes over 1000 calls, as counted by
 * {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}. Ranks are threads over the real
 * TCP transport on loopback, so the count covers the communicator, the algorithms, the transport's
 * progress loop, selector wake-ups and the staging of heap arrays. How windows are counted and
 * judged: {@link AllocationWindows}.
 */
class SteadyStateAllocationTest
{
    /**
     * Warm-up calls before counting: enough for C2 to compile the call path. Interpreted and C1
     * code allocate objects that C2's escape analysis removes, so a cold JVM is not steady state.
     */
    private static final int WARMUP = 10_000;
    private static final int CALLS = 1_000;

    @ParameterizedTest(name = "{0} ranks, {1} floats, {2}, {3}")
    @CsvSource({
        "2, 2, rd, direct",
        "2, 2, rd, heap",
        "2, 65536, ring, direct",
        "2, 65536, ring, heap",
        "3, 1000, rd, direct",
        "3, 262144, ring, direct",
        "4, 262144, ring, heap",
        "4, 262144, rhd, direct",
        "3, 262144, rhd, heap",
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
                results[comm.rank()] = AllocationWindows.measure(() ->
                {
                    for (int i = 0; i < CALLS; i++)
                    {
                        call.accept(comm);
                    }
                });
            }, Duration.ofSeconds(240));
            AllocationWindows.check(results, CALLS, "allreduce");
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
                // Out of place too: the root sends from its own buffer and copies it alongside.
                final ByteBuffer source = ByteBuffer.allocateDirect(block * ranks).order(ByteOrder.nativeOrder());
                final CommBuffer sent = CommBuffer.of(source, DataType.UINT8, (long)block * ranks);
                final Runnable calls = () ->
                {
                    for (int i = 0; i < CALLS / 3; i++)
                    {
                        comm.broadcast(whole, i % ranks);
                        comm.broadcast(sent, whole, (i + 1) % ranks);
                        comm.allGather(gathered);
                    }
                };
                for (int i = 0; i < 3 * WARMUP / CALLS / 4; i++)
                {
                    calls.run();
                }
                results[comm.rank()] = AllocationWindows.measure(calls);
            }, Duration.ofSeconds(240));
            AllocationWindows.check(results, CALLS / 3 * 3, "broadcast/allgather");
        }
    }
}
