package dev.jccl.nativekernels;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Name;
import org.bytedeco.javacpp.annotation.NoException;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * The benchmarks' yardstick: a plain C {@code a[i] += b[i]} loop built {@code -O3}
 * ({@code src/main/cpp/jccl_reference.h}), called through JNI like the kernels so one run measures
 * both. Not used by the library; its own small {@code libjniJcclReference.so}.
 */
@Platform(value = "linux-x86_64", include = "jccl_reference.h", library = "jniJcclReference")
@NoException
public final class CReferenceLoops
{
    private CReferenceLoops()
    {
    }

    /**
     * Loads the library.
     *
     * @throws UnsatisfiedLinkError when it cannot load here.
     */
    public static void load()
    {
        Loader.load(CReferenceLoops.class);
    }

    /** @return whether the {@code *Avx2} loops can run on this CPU. */
    public static boolean hasAvx2()
    {
        return hasAvx2Native() != 0;
    }

    @Name("jccl_ref_has_avx2")
    private static native int hasAvx2Native();

    /** {@code a[i] += b[i]} over floats, plain x86-64 -O3. */
    @Name("jccl_ref_add_f32_o3")
    public static native void addFloat32(long a, long b, long count);

    /** {@code a[i] += b[i]} over doubles, plain x86-64 -O3. */
    @Name("jccl_ref_add_f64_o3")
    public static native void addFloat64(long a, long b, long count);

    /** {@code a[i] += b[i]} over floats, -O3 with AVX2 (as -march=native gives on this kind of CPU). */
    @Name("jccl_ref_add_f32_avx2")
    public static native void addFloat32Avx2(long a, long b, long count);

    /** {@code a[i] += b[i]} over doubles, -O3 with AVX2. */
    @Name("jccl_ref_add_f64_avx2")
    public static native void addFloat64Avx2(long a, long b, long count);
}
