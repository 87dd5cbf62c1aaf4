package dev.jccl.kernel;

/**
 * IEEE 754 binary16 ("half", {@link dev.jccl.DataType#FLOAT16}) conversions, written out because
 * Java 17 has no {@code Float.float16ToFloat}.
 *
 * <p>{@link #toFloat} is exact. {@link #fromFloat} rounds to nearest, ties to even; values at or
 * above 65520 in magnitude become infinity; tiny values become subnormals or signed zero; a NaN
 * stays a NaN (its top payload bits kept, the quiet bit set), never an infinity.
 */
public final class Float16
{
    /** Bits of positive infinity. */
    public static final short POSITIVE_INFINITY = (short)0x7c00;
    /** Bits of negative infinity. */
    public static final short NEGATIVE_INFINITY = (short)0xfc00;
    /** Bits of the canonical quiet NaN. */
    public static final short NaN = (short)0x7e00;
    /** Bits of the largest finite value, 65504. */
    public static final short MAX_VALUE = (short)0x7bff;

    private Float16()
    {
    }

    /**
     * @param bits binary16 bits.
     * @return the same value as a float (exact; a NaN keeps its payload).
     */
    public static float toFloat(final short bits)
    {
        final int h = bits & 0xffff;
        final int sign = (h & 0x8000) << 16;
        final int exp = (h >>> 10) & 0x1f;
        final int mantissa = h & 0x3ff;
        if (exp == 0x1f)
        {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exp == 0)
        {
            // zero or subnormal: mantissa * 2^-24, exact in float
            final float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exp + (127 - 15)) << 23) | (mantissa << 13));
    }

    /**
     * @param value any float.
     * @return the nearest binary16 (ties to even), as bits.
     */
    public static short fromFloat(final float value)
    {
        final int x = Float.floatToRawIntBits(value);
        final int sign = (x >>> 16) & 0x8000;
        final int abs = x & 0x7fffffff;
        if (abs >= 0x477ff000)
        {
            // >= 65520 (the midpoint between 65504 and 65536, which ties to the even 65536): infinity,
            // unless it is NaN
            if (abs > 0x7f800000)
            {
                return (short)(sign | 0x7e00 | ((abs >>> 13) & 0x3ff));
            }
            return (short)(sign | 0x7c00);
        }
        if (abs >= 0x38800000)
        {
            // normal in binary16: rebias the exponent, round away 13 mantissa bits (carries into the
            // exponent are correct, overflow was handled above)
            final int rebiased = abs - ((127 - 15) << 23);
            return (short)(sign | ((rebiased + 0xfff + ((rebiased >>> 13) & 1)) >>> 13));
        }
        // subnormal or zero in binary16: the value in units of 2^-24 (scaling by a power of two is
        // exact), rounded half-even; 1024 encodes the smallest normal, which is right
        final float units = Float.intBitsToFloat(abs) * 0x1p24f;
        return (short)(sign | (int)Math.rint(units));
    }
}
