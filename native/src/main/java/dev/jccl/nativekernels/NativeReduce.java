package dev.jccl.nativekernels;

import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.CriticalRegion;
import org.bytedeco.javacpp.annotation.Name;
import org.bytedeco.javacpp.annotation.NoException;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * The JNI entry points of {@code src/main/cpp/jccl_reduce.h}, bound by JavaCPP (its Maven plugin
 * generates and compiles the JNI code with gcc at {@code process-classes}). Loaded by
 * {@link NativeLibrary}, never directly: nothing here checks its arguments.
 *
 * <p>Levels are {@link Isa#level()}; types and ops are {@code DataType.id()} and {@code ReduceOp.id()}.
 * Every call returns 0, -1 for an unknown type or op, or -2 for a level the CPU cannot run.
 */
@Platform(value = "linux-x86_64", include = "jccl_reduce.h", library = "jniJcclReduce")
@NoException
public final class NativeReduce
{
    private NativeReduce()
    {
    }

    /** @return the highest level this CPU and OS run. */
    @Name("jccl_cpu_level")
    static native int cpuLevel();

    /** @return the {@link CpuFeatures} bits of this CPU and OS. */
    @Name("jccl_cpu_features")
    static native int cpuFeatures();

    /** @return the level a CPU with these {@link CpuFeatures} bits runs (the dispatch decision, pure). */
    @Name("jccl_level_for")
    static native int levelFor(int features);

    /** {@code dst[i] = op(a[i], b[i])} over raw addresses. */
    @Name("jccl_reduce")
    static native int reduce(int level, int type, int op, long dst, long a, long b, long count);

    /** {@code memcpy(dst, src, bytes)} over raw addresses that do not overlap. */
    @Name("jccl_copy")
    static native void copy(long dst, long src, long bytes);

    /** {@code x[i] = x[i] / divisor} over a raw address. */
    @Name("jccl_divide")
    static native int divide(int level, int type, long address, long count, int divisor);

    /** {@code dst = op(dst, src)} over pinned heap arrays (benchmarks of the heap case). */
    @Name("jccl_reduce_pinned")
    @CriticalRegion
    static native int reducePinned(int level, int type, int op, @Cast("char*") float[] dst, @Cast("char*") float[] src, long count);

    /** As {@link #reducePinned(int, int, int, float[], float[], long)}, for FLOAT64. */
    @Name("jccl_reduce_pinned")
    @CriticalRegion
    static native int reducePinned(int level, int type, int op, @Cast("char*") double[] dst, @Cast("char*") double[] src, long count);

    /** As {@link #reducePinned(int, int, int, float[], float[], long)}, for FLOAT16 and BFLOAT16 bits. */
    @Name("jccl_reduce_pinned")
    @CriticalRegion
    static native int reducePinned(int level, int type, int op, @Cast("char*") short[] dst, @Cast("char*") short[] src, long count);
}
