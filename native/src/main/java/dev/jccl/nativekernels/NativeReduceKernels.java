package dev.jccl.nativekernels;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;
import dev.jccl.kernel.JavaReduceKernels;
import dev.jccl.kernel.ReduceKernels;

import java.util.Arrays;
import java.util.Objects;

/**
 * SIMD reduce kernels over JNI, bit-identical to {@link JavaReduceKernels} (see README.md for the
 * one freedom Java itself takes: which NaN a NaN result is).
 *
 * <p>Below a per-type element count the JNI call costs more than it saves, and the call goes to
 * {@link JavaReduceKernels} instead; the thresholds come from the measurements in README.md.
 * Stateless and thread-safe.
 */
public final class NativeReduceKernels implements ReduceKernels
{
    /** Name used in logs and by {@code JCCL_KERNELS=native}. */
    public static final String NAME = "native";

    /** Below these counts (by {@link DataType#ordinal()}) the Java kernels run; measured, see README.md. */
    private static final long[] DEFAULT_MIN_NATIVE_COUNT = defaultThresholds();

    /** Copies from this size go to memcpy: glibc switches to rep movsb at 2-4 KiB, and JNI costs 15-35 ns. */
    static final long MIN_NATIVE_COPY_BYTES = 8 * 1024;

    private final Isa isa;
    private final int level;
    private final long[] minNativeCount;

    private NativeReduceKernels(final Isa isa, final long[] minNativeCount)
    {
        this.isa = isa;
        this.level = isa.level();
        this.minNativeCount = minNativeCount;
    }

    /**
     * @param isa the instruction-set level to run.
     * @return kernels at that level with the measured thresholds.
     * @throws IllegalStateException when the library cannot load or the CPU cannot run {@code isa}.
     */
    public static NativeReduceKernels create(final Isa isa)
    {
        return create(isa, DEFAULT_MIN_NATIVE_COUNT);
    }

    /**
     * Kernels that call the native code for every count, however small (for tests and benchmarks).
     *
     * @param isa the instruction-set level to run.
     * @return the kernels.
     * @throws IllegalStateException when the library cannot load or the CPU cannot run {@code isa}.
     */
    public static NativeReduceKernels alwaysNative(final Isa isa)
    {
        return create(isa, new long[DataType.values().length]);
    }

    private static NativeReduceKernels create(final Isa isa, final long[] thresholds)
    {
        Objects.requireNonNull(isa, "isa");
        final Isa cpu = NativeLibrary.cpuIsa();
        if (isa.compareTo(cpu) > 0)
        {
            throw new IllegalStateException("this CPU cannot run the " + isa + " kernels (highest: " + cpu + ")");
        }
        return new NativeReduceKernels(isa, thresholds);
    }

    /**
     * @return the highest level this CPU runs.
     * @throws IllegalStateException when the library cannot load.
     */
    public static Isa cpuIsa()
    {
        return NativeLibrary.cpuIsa();
    }

    /** @return the instruction-set level these kernels run. */
    public Isa isa()
    {
        return isa;
    }

    /**
     * @param type an element type.
     * @return the element count from which calls go to the native code.
     */
    public long minNativeCount(final DataType type)
    {
        return minNativeCount[type.ordinal()];
    }

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public void reduce(final DataType type, final ReduceOp op, final long dstAddress, final long srcAddress, final long count)
    {
        reduce(type, op, dstAddress, dstAddress, srcAddress, count);
    }

    @Override
    public void reduce(
        final DataType type, final ReduceOp op, final long dstAddress, final long aAddress, final long bAddress, final long count)
    {
        Objects.requireNonNull(type, "type");
        if (op == null)
        {
            throw new NullPointerException("op");
        }
        checkCount(count);
        if (count < minNativeCount[type.ordinal()])
        {
            JavaReduceKernels.INSTANCE.reduce(type, op, dstAddress, aAddress, bAddress, count);
            return;
        }
        check(NativeReduce.reduce(level, type.id(), op.id(), dstAddress, aAddress, bAddress, count), type, op);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when {@code divisor} is not positive (it is a world size).
     */
    @Override
    public void divide(final DataType type, final long address, final long count, final int divisor)
    {
        Objects.requireNonNull(type, "type");
        checkCount(count);
        if (divisor <= 0)
        {
            throw new IllegalArgumentException("divisor must be positive, got " + divisor);
        }
        if (count < minNativeCount[type.ordinal()])
        {
            JavaReduceKernels.INSTANCE.divide(type, address, count, divisor);
            return;
        }
        check(NativeReduce.divide(level, type.id(), address, count, divisor), type, null);
    }

    /**
     * {@inheritDoc}
     *
     * <p>From {@link #MIN_NATIVE_COPY_BYTES} on, the C library's memcpy; below it the JVM's copy
     * (the JNI call would cost more than the copy).
     */
    @Override
    public void copy(final long dstAddress, final long srcAddress, final long bytes)
    {
        if (bytes < MIN_NATIVE_COPY_BYTES)
        {
            ReduceKernels.super.copy(dstAddress, srcAddress, bytes);
            return;
        }
        NativeReduce.copy(dstAddress, srcAddress, bytes);
    }

    /**
     * {@code dst = op(dst, src)} over heap arrays pinned for the call (JNI critical region): what
     * a heap-array path would cost; see README.md for when it beats a Java loop.
     */
    public void reduceHeap(final DataType type, final ReduceOp op, final float[] dst, final float[] src, final int count)
    {
        requireHeap(type, DataType.FLOAT32, dst.length, src.length, count);
        check(NativeReduce.reducePinned(level, type.id(), op.id(), dst, src, count), type, op);
    }

    /** As {@link #reduceHeap(DataType, ReduceOp, float[], float[], int)}, for FLOAT64. */
    public void reduceHeap(final DataType type, final ReduceOp op, final double[] dst, final double[] src, final int count)
    {
        requireHeap(type, DataType.FLOAT64, dst.length, src.length, count);
        check(NativeReduce.reducePinned(level, type.id(), op.id(), dst, src, count), type, op);
    }

    /** As {@link #reduceHeap(DataType, ReduceOp, float[], float[], int)}, for FLOAT16 or BFLOAT16 bits. */
    public void reduceHeap(final DataType type, final ReduceOp op, final short[] dst, final short[] src, final int count)
    {
        if (type != DataType.BFLOAT16)
        {
            requireHeap(type, DataType.FLOAT16, dst.length, src.length, count);
        }
        else
        {
            requireHeap(type, DataType.BFLOAT16, dst.length, src.length, count);
        }
        check(NativeReduce.reducePinned(level, type.id(), op.id(), dst, src, count), type, op);
    }

    @Override
    public String toString()
    {
        return "NativeReduceKernels[" + isa + "]";
    }

    private static void requireHeap(final DataType type, final DataType expected, final int dstLength, final int srcLength, final int count)
    {
        if (type != expected)
        {
            throw new IllegalArgumentException("array does not hold " + type);
        }
        if (count < 0 || count > dstLength || count > srcLength)
        {
            throw new IllegalArgumentException("count " + count + " outside arrays of " + dstLength + " and " + srcLength);
        }
    }

    private static void check(final int rc, final DataType type, final ReduceOp op)
    {
        if (rc == 0)
        {
            return;
        }
        if (rc == -2)
        {
            throw new IllegalStateException("the native library refused this CPU level");
        }
        throw new IllegalArgumentException("unsupported " + type + (op == null ? "" : " " + op));
    }

    private static void checkCount(final long count)
    {
        if (count < 0)
        {
            throw new IllegalArgumentException("count must not be negative, got " + count);
        }
    }

    /**
     * Where a JNI call beats the Java loop, off-heap SUM, from KernelCrossoverBenchmark (README.md):
     * the call costs 15-35 ns; the Java loop about 0.4 ns per 4-byte element, 4 ns per binary16.
     */
    private static long[] defaultThresholds()
    {
        final long[] min = new long[DataType.values().length];
        Arrays.fill(min, 64);
        min[DataType.INT8.ordinal()] = 32;
        min[DataType.UINT8.ordinal()] = 32;
        min[DataType.INT64.ordinal()] = 128;
        min[DataType.UINT64.ordinal()] = 128;
        min[DataType.FLOAT64.ordinal()] = 128;
        min[DataType.FLOAT16.ordinal()] = 8;
        min[DataType.BFLOAT16.ordinal()] = 16;
        return min;
    }
}
