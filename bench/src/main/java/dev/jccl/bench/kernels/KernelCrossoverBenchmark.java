package dev.jccl.bench.kernels;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;
import dev.jccl.kernel.JavaReduceKernels;
import dev.jccl.nativekernels.NativeReduceKernels;
import org.agrona.BufferUtil;
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
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Small counts, off-heap: where the JNI call starts to pay. Java kernels against native kernels that
 * always call native code; NativeReduceKernels' per-type thresholds come from these figures
 * (native/README.md).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = { "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED" })
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 4, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class KernelCrossoverBenchmark
{
    @Param({ "INT8", "INT32", "INT64", "FLOAT16", "BFLOAT16", "FLOAT32", "FLOAT64" })
    public DataType type;

    @Param({ "1", "8", "16", "32", "64", "128", "256", "1024" })
    public int count;

    private ByteBuffer buffer;
    private long a;
    private long b;
    private NativeReduceKernels kernels;

    @Setup(Level.Trial)
    public void setUp()
    {
        kernels = NativeReduceKernels.alwaysNative(NativeReduceKernels.cpuIsa());
        buffer = ByteBuffer.allocateDirect(2 * count * type.size() + 64);
        a = BufferUtil.address(buffer);
        b = a + count * type.size() + 32;
        // zero bits: a normal zero in every type, so no slow paths
    }

    @Benchmark
    public void java()
    {
        JavaReduceKernels.INSTANCE.reduce(type, ReduceOp.SUM, a, b, count);
    }

    @Benchmark
    public void nativeJni()
    {
        kernels.reduce(type, ReduceOp.SUM, a, b, count);
    }
}
