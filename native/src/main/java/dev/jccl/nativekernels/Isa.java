package dev.jccl.nativekernels;

import java.util.Locale;

/**
 * Instruction-set levels the native kernels are compiled for; the library picks the highest the
 * CPU runs at load time, and {@code JCCL_NATIVE_ISA} (or {@code -Djccl.native.isa}) caps it.
 */
public enum Isa
{
    /** Baseline x86-64: 16-byte vectors, binary16 converted in software. */
    SSE2(0, "sse2"),
    /** AVX2 with F16C: 32-byte vectors, binary16 converted in hardware. */
    AVX2(1, "avx2"),
    /** AVX-512 F/BW/DQ/VL: 64-byte vectors, binary16 converted in hardware. */
    AVX512(2, "avx512");

    private final int level;
    private final String label;

    Isa(final int level, final String label)
    {
        this.level = level;
        this.label = label;
    }

    /** The level number the native library uses. */
    int level()
    {
        return level;
    }

    /** Lower-case name, as {@code JCCL_NATIVE_ISA} spells it. */
    public String label()
    {
        return label;
    }

    static Isa ofLevel(final int level)
    {
        for (final Isa isa : values())
        {
            if (isa.level == level)
            {
                return isa;
            }
        }
        throw new IllegalStateException("native library reports unknown ISA level " + level);
    }

    /**
     * @param name {@code sse2}, {@code avx2} or {@code avx512} (any case).
     * @return the level.
     * @throws IllegalArgumentException for any other name.
     */
    public static Isa parse(final String name)
    {
        final String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (final Isa isa : values())
        {
            if (isa.label.equals(wanted))
            {
                return isa;
            }
        }
        throw new IllegalArgumentException("JCCL_NATIVE_ISA must be sse2, avx2 or avx512, got '" + name + "'");
    }

    @Override
    public String toString()
    {
        return label;
    }
}
