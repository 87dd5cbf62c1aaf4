package dev.jccl.bench.jmh;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;
import dev.jccl.bench.Elements;
import dev.jccl.kernel.Kernels;
import dev.jccl.kernel.ReduceKernels;

import org.agrona.BufferUtil;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

/**
 * The reduce kernels alone: {@code dst[i] = op(dst[i], src[i])} over off-heap memory, per type, op
 * and size. GB/s of input = bytes x ops/s / 1e9 (each call reads 2 x bytes and writes bytes).
 * {@code kernels=java} is the pure-Java kernels; {@code auto} picks the native ones when present.
 *
 * <pre>java -cp 'bench/target/jccl-bench-*.jar:bench/target/lib/*' org.openjdk.jmh.Main ReduceKernelBenchmark -p type=FLOAT32</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED" })
public class ReduceKernelBenchmark
{
    @Param({ "FLOAT32", "FLOAT16", "BFLOAT16", "FLOAT64", "INT32", "INT8" })
    public DataType type;

    @Param({ "SUM", "MAX" })
    public ReduceOp op;

    @Param({ "4096", "65536", "1048576", "16777216" })
    public int bytes;

    @Param({ "java", "auto" })
    public String kernels;

    private ReduceKernels k;
    private ByteBuffer dst;
    private ByteBuffer src;
    private long dstAddress;
    private long srcAddress;
    private long count;

    @Setup
    public void setUp()
    {
        k = "java".equals(kernels) ? Kernels.java() : Kernels.select(kernels);
        count = bytes / type.size();
        dst = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        src = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        // zeros in dst, ones in src: repeated SUM saturates at the type's exact-integer limit, never inf or subnormal
        for (long i = 0; i < count; i++)
        {
            Elements.putBits(src, type, i, Elements.encode(type, 1));
        }
        dstAddress = BufferUtil.address(dst);
        srcAddress = BufferUtil.address(src);
    }

    @Benchmark
    public void reduce()
    {
        k.reduce(type, op, dstAddress, srcAddress, count);
    }
}
