package dev.jccl.bench.jmh;

import dev.jccl.CommBuffer;
import dev.jccl.Communicator;
import dev.jccl.DataType;
import dev.jccl.ReduceOp;
import dev.jccl.bench.LocalJob;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * In-JVM allreduce: {@code ranks} communicators over the real transport on loopback, rank 0 on the
 * benchmark thread, every other rank on its own thread calling allreduce back to back (each call
 * waits for rank 0's, so they run in lockstep). Time per call, float32 SUM, in place.
 * The peers are always already waiting when rank 0 calls, so this is the best case; jccl-perf,
 * where every rank arrives at once, is the number to compare with nccl-tests and MPI (at main
 * 93bf0d0 on 2 cores: ~10 us here for 8 B at 2 ranks against ~1.2-2 ms per call in jccl-perf).
 *
 * <pre>java -cp 'bench/target/jccl-bench-*.jar:bench/target/lib/*' org.openjdk.jmh.Main AllReduceBenchmark -p ranks=2</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = { "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED" })
public class AllReduceBenchmark
{
    @Param({ "2", "4" })
    public int ranks;

    @Param({ "8", "65536", "1048576", "16777216" })
    public int bytes;

    /** "auto" or an allreduce algorithm name ("ring", "rd"). */
    @Param({ "auto" })
    public String algo;

    @Param({ "tcp" })
    public String transport;

    private LocalJob job;
    private CommBuffer rank0Buffer;
    private final List<Thread> peers = new ArrayList<>();
    private volatile boolean stopping;

    @Setup(Level.Trial)
    public void setUp()
    {
        job = LocalJob.start(ranks, "all_reduce", "auto".equals(algo) ? null : algo, transport);
        rank0Buffer = buffer();
        for (int r = 1; r < ranks; r++)
        {
            final Communicator comm = job.comm(r);
            final CommBuffer buffer = buffer();
            final Thread t = new Thread(() ->
            {
                try
                {
                    while (!stopping)
                    {
                        comm.allReduce(buffer, ReduceOp.SUM);
                    }
                }
                catch (final RuntimeException ex)
                {
                    if (!stopping)
                    {
                        throw ex;
                    }
                }
            }, "allreduce-rank-" + r);
            t.setDaemon(true);
            peers.add(t);
            t.start();
        }
    }

    private CommBuffer buffer()
    {
        final ByteBuffer b = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        return CommBuffer.of(b, DataType.FLOAT32, bytes / 4);
    }

    @Benchmark
    public void allReduce()
    {
        job.comm(0).allReduce(rank0Buffer, ReduceOp.SUM);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException
    {
        stopping = true;
        // the peers wait inside their next allreduce for rank 0, which will not come: abort frees them
        for (int r = 1; r < ranks; r++)
        {
            job.comm(r).abort();
        }
        for (final Thread t : peers)
        {
            t.join(10_000);
        }
        job.close();
    }
}
