package dev.jccl.bench.kernels;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;
import dev.jccl.kernel.BFloat16;
import dev.jccl.kernel.Float16;
import dev.jccl.kernel.JavaReduceKernels;
import dev.jccl.nativekernels.CReferenceLoops;
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
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

/**
 * SUM of two arrays, {@code a = a + b}, single thread: the Java kernels against the native ones, on
 * off-heap memory (what the transports use) and on heap arrays, next to a plain C {@code a += b}
 * loop built -O3 ({@link CReferenceLoops}) over the same bytes, so the ratio comes out of one run.
 * Bytes touched per operation: 3 x {@code bytes} (read a, read b, write a). See native/README.md.
 *
 * <p>Params: {@code bytes} per array, 131072 (both arrays fit in L2) or 268435456 (256 MiB).
 * The C loop runs over the same bytes as float32 (float64 for FLOAT64), the same work in bytes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xms3g", "-Xmx3g", "-XX:MaxDirectMemorySize=2g" })
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ReduceKernelsBenchmark
{
    @Param({ "FLOAT32", "FLOAT64", "BFLOAT16", "FLOAT16" })
    public DataType type;

    @Param({ "131072", "268435456" })
    public int bytes;

    private ByteBuffer bufferA;
    private ByteBuffer bufferB;
    private long a;
    private long b;
    private int count;
    private float[] floatsA;
    private float[] floatsB;
    private double[] doublesA;
    private double[] doublesB;
    private short[] halvesA;
    private short[] halvesB;
    private NativeReduceKernels kernels;

    @Setup(Level.Trial)
    public void setUp()
    {
        kernels = NativeReduceKernels.alwaysNative(NativeReduceKernels.cpuIsa());
        CReferenceLoops.load();
        count = bytes / type.size();
        bufferA = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        bufferB = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        a = BufferUtil.address(bufferA);
        b = BufferUtil.address(bufferB);
        // a = 1, b = 2^-10: sums stay normal numbers (no subnormal slow paths, no infinities)
        switch (type)
        {
            case FLOAT32:
                floatsA = new float[count];
                floatsB = new float[count];
                java.util.Arrays.fill(floatsA, 1f);
                java.util.Arrays.fill(floatsB, 0x1p-10f);
                bufferA.asFloatBuffer().put(floatsA);
                bufferB.asFloatBuffer().put(floatsB);
                break;
            case FLOAT64:
                doublesA = new double[count];
                doublesB = new double[count];
                java.util.Arrays.fill(doublesA, 1.0);
                java.util.Arrays.fill(doublesB, 0x1p-10);
                bufferA.asDoubleBuffer().put(doublesA);
                bufferB.asDoubleBuffer().put(doublesB);
                break;
            default:
                final boolean bf = type == DataType.BFLOAT16;
                halvesA = new short[count];
                halvesB = new short[count];
                java.util.Arrays.fill(halvesA, bf ? BFloat16.fromFloat(1f) : Float16.fromFloat(1f));
                java.util.Arrays.fill(halvesB, bf ? BFloat16.fromFloat(0x1p-10f) : Float16.fromFloat(0x1p-10f));
                bufferA.asShortBuffer().put(halvesA);
                bufferB.asShortBuffer().put(halvesB);
                break;
        }
    }

    /** The pure-Java kernels on off-heap memory. */
    @Benchmark
    public void javaOffHeap()
    {
        JavaReduceKernels.INSTANCE.reduce(type, ReduceOp.SUM, a, b, count);
    }

    /** The native kernels on off-heap memory, at the highest level this CPU runs. */
    @Benchmark
    public void nativeOffHeap()
    {
        kernels.reduce(type, ReduceOp.SUM, a, b, count);
    }

    /** A plain Java loop over heap arrays (C2 vectorises the float and double ones). */
    @Benchmark
    public void javaHeap()
    {
        switch (type)
        {
            case FLOAT32:
                addFloats(floatsA, floatsB, count);
                break;
            case FLOAT64:
                addDoubles(doublesA, doublesB, count);
                break;
            case BFLOAT16:
                addBFloat16(halvesA, halvesB, count);
                break;
            default:
                addFloat16(halvesA, halvesB, count);
                break;
        }
    }

    /** The native kernels on heap arrays pinned for the call (JNI critical region). */
    @Benchmark
    public void nativeHeap()
    {
        switch (type)
        {
            case FLOAT32:
                kernels.reduceHeap(type, ReduceOp.SUM, floatsA, floatsB, count);
                break;
            case FLOAT64:
                kernels.reduceHeap(type, ReduceOp.SUM, doublesA, doublesB, count);
                break;
            default:
                kernels.reduceHeap(type, ReduceOp.SUM, halvesA, halvesB, count);
                break;
        }
    }

    /** C {@code a += b} -O3 for plain x86-64 over the same bytes (float32, or float64 for FLOAT64). */
    @Benchmark
    public void cLoopO3()
    {
        if (type == DataType.FLOAT64)
        {
            CReferenceLoops.addFloat64(a, b, bytes / 8);
        }
        else
        {
            CReferenceLoops.addFloat32(a, b, bytes / 4);
        }
    }

    /** The same C loop built -O3 with AVX2, as -march=native builds it on this kind of CPU. */
    @Benchmark
    public void cLoopO3Avx2()
    {
        if (type == DataType.FLOAT64)
        {
            CReferenceLoops.addFloat64Avx2(a, b, bytes / 8);
        }
        else
        {
            CReferenceLoops.addFloat32Avx2(a, b, bytes / 4);
        }
    }

    private static void addFloats(final float[] x, final float[] y, final int n)
    {
        for (int i = 0; i < n; i++)
        {
            x[i] += y[i];
        }
    }

    private static void addDoubles(final double[] x, final double[] y, final int n)
    {
        for (int i = 0; i < n; i++)
        {
            x[i] += y[i];
        }
    }

    private static void addBFloat16(final short[] x, final short[] y, final int n)
    {
        for (int i = 0; i < n; i++)
        {
            x[i] = BFloat16.fromFloat(BFloat16.toFloat(x[i]) + BFloat16.toFloat(y[i]));
        }
    }

    private static void addFloat16(final short[] x, final short[] y, final int n)
    {
        for (int i = 0; i < n; i++)
        {
            x[i] = Float16.fromFloat(Float16.toFloat(x[i]) + Float16.toFloat(y[i]));
        }
    }
}
