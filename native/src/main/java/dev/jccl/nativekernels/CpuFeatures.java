package dev.jccl.nativekernels;

import java.util.StringJoiner;

/**
 * The CPU features the instruction-set levels need, as the bits {@code jccl_cpu_features()} reports
 * ({@code JCCL_FEATURE_*} in {@code src/main/cpp/jccl_reduce.h}). The level a CPU runs is
 * {@link #levelFor(int)}, the native library's own dispatch decision.
 */
public final class CpuFeatures
{
    public static final int AVX2 = 1;
    public static final int F16C = 1 << 1;
    public static final int AVX512F = 1 << 2;
    public static final int AVX512BW = 1 << 3;
    public static final int AVX512DQ = 1 << 4;
    public static final int AVX512VL = 1 << 5;

    private static final String[] NAMES = { "avx2", "f16c", "avx512f", "avx512bw", "avx512dq", "avx512vl" };

    private CpuFeatures()
    {
    }

    /**
     * @return the features of this CPU and OS.
     * @throws IllegalStateException when the native library cannot load.
     */
    public static int ofThisCpu()
    {
        return NativeLibrary.cpuFeatures();
    }

    /**
     * The native library's dispatch decision for a CPU with {@code features}, whatever CPU this is.
     *
     * @param features bits of this class.
     * @return the highest level such a CPU runs.
     * @throws IllegalStateException when the native library cannot load.
     */
    public static Isa levelFor(final int features)
    {
        NativeLibrary.cpuIsa(); // loads the library, or says why it cannot
        return Isa.ofLevel(NativeReduce.levelFor(features));
    }

    /** @return the names of the features set in {@code features}, e.g. {@code "avx2 f16c"}, or {@code "none"}. */
    public static String describe(final int features)
    {
        final StringJoiner names = new StringJoiner(" ");
        for (int bit = 0; bit < NAMES.length; bit++)
        {
            if ((features & (1 << bit)) != 0)
            {
                names.add(NAMES[bit]);
            }
        }
        return names.length() == 0 ? "none" : names.toString();
    }
}
