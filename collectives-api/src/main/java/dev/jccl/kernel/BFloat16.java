package dev.jccl.kernel;

/**
 * bfloat16 ({@link dev.jccl.DataType#BFLOAT16}) conversions: the top 16 bits of a float.
 *
 * <p>{@link #toFloat} is exact. {@link #fromFloat} rounds to nearest, ties to even (overflow
 * becomes infinity, subnormals round like any other value); a NaN stays a NaN with the quiet bit
 * set, never rounding into an infinity.
 */
public final class BFloat16
{
    /** Bits of positive infinity. */
    public static final short POSITIVE_INFINITY = (short)0x7f80;
    /** Bits of negative infinity. */
    public static final short NEGATIVE_INFINITY = (short)0xff80;
    /** Bits of the canonical quiet NaN. */
    public static final short NaN = (short)0x7fc0;
    /** Bits of the largest finite value, about 3.39e38. */
    public static final short MAX_VALUE = (short)0x7f7f;

    private BFloat16()
    {
    }

    /**
     * @param bits bfloat16 bits.
     * @return the same value as a float (exact).
     */
    public static float toFloat(final short bits)
    {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /**
     * @param value any float.
     * @return the nearest bfloat16 (ties to even), as bits.
     */
    public static short fromFloat(final float value)
    {
        final int x = Float.floatToRawIntBits(value);
        if ((x & 0x7fffffff) > 0x7f800000)
        {
            return (short)((x >>> 16) | 0x40);
        }
        return (short)((x + 0x7fff + ((x >>> 16) & 1)) >>> 16);
    }
}
