package dev.jccl.bench;

import dev.jccl.DataType;

import java.nio.ByteBuffer;

/**
 * Reads and writes elements of any {@link DataType} as raw bits in a native-order ByteBuffer, and
 * converts between exact numbers and those bits. The driver and the check only ever compare bits,
 * so no rounding of the checker can hide or invent a wrong value.
 */
public final class Elements
{
    private Elements()
    {
    }

    /** Raw bits of element {@code index}, zero-extended to 64 bits. */
    public static long getBits(final ByteBuffer buffer, final DataType type, final long index)
    {
        switch (type.size())
        {
            case 1: return buffer.get(Math.toIntExact(index)) & 0xffL;
            case 2: return buffer.getShort(Math.toIntExact(index * 2)) & 0xffffL;
            case 4: return buffer.getInt(Math.toIntExact(index * 4)) & 0xffffffffL;
            default: return buffer.getLong(Math.toIntExact(index * 8));
        }
    }

    public static void putBits(final ByteBuffer buffer, final DataType type, final long index, final long bits)
    {
        switch (type.size())
        {
            case 1:
                buffer.put(Math.toIntExact(index), (byte)bits);
                break;
            case 2:
                buffer.putShort(Math.toIntExact(index * 2), (short)bits);
                break;
            case 4:
                buffer.putInt(Math.toIntExact(index * 4), (int)bits);
                break;
            default:
                buffer.putLong(Math.toIntExact(index * 8), bits);
                break;
        }
    }

    /**
     * Bits of an integer value: integers wrap to the type's width (two's complement), floating
     * types take the value (callers keep it exactly representable).
     */
    public static long encode(final DataType type, final long value)
    {
        switch (type)
        {
            case INT8: case UINT8: return value & 0xffL;
            case INT32: case UINT32: return value & 0xffffffffL;
            case INT64: case UINT64: return value;
            case FLOAT16: return halfFromFloat(value) & 0xffffL;
            case BFLOAT16: return bfloat16FromFloat(value) & 0xffffL;
            case FLOAT32: return Float.floatToRawIntBits(value) & 0xffffffffL;
            case FLOAT64: return Double.doubleToRawLongBits(value);
            default: throw new IllegalArgumentException(type.toString());
        }
    }

    /** The value of {@code bits}: integers as signed or unsigned per the type (UINT64 above 2^63 loses precision). */
    public static double decode(final DataType type, final long bits)
    {
        switch (type)
        {
            case INT8: return (byte)bits;
            case UINT8: return bits & 0xff;
            case INT32: return (int)bits;
            case UINT32: return bits & 0xffffffffL;
            case INT64: return bits;
            case UINT64: return bits >= 0 ? bits : (double)(bits >>> 1) * 2.0;
            case FLOAT16: return halfToFloat((short)bits);
            case BFLOAT16: return Float.intBitsToFloat(((int)bits & 0xffff) << 16);
            case FLOAT32: return Float.intBitsToFloat((int)bits);
            case FLOAT64: return Double.longBitsToDouble(bits);
            default: throw new IllegalArgumentException(type.toString());
        }
    }

    /** Distance between adjacent values of a floating type at {@code x} (its unit in the last place). */
    public static double ulp(final DataType type, final double x)
    {
        final double a = Math.abs(x);
        switch (type)
        {
            case FLOAT16:
                return a < 0x1p-14 ? 0x1p-24 : Math.scalb(1.0, Math.getExponent(a) - 10);
            case BFLOAT16:
                return a < 0x1p-126 ? 0x1p-133 : Math.scalb(1.0, Math.getExponent(a) - 7);
            case FLOAT32:
                return Math.ulp((float)a);
            case FLOAT64:
                return Math.ulp(a);
            default:
                return 0;
        }
    }

    /** binary16 to float (exact): the library's own conversion, so checks agree with the kernels. */
    public static float halfToFloat(final short bits)
    {
        return dev.jccl.kernel.Float16.toFloat(bits);
    }

    /** float to the nearest binary16, ties to even. */
    public static short halfFromFloat(final float value)
    {
        return dev.jccl.kernel.Float16.fromFloat(value);
    }

    /** float to the nearest bfloat16, ties to even (NaN stays NaN). */
    public static short bfloat16FromFloat(final float value)
    {
        return dev.jccl.kernel.BFloat16.fromFloat(value);
    }
}
