package dev.jccl.kernel;

import dev.jccl.ReduceOp;
import org.agrona.UnsafeApi;

/**
 * FLOAT32 and FLOAT64 loops over possibly unaligned native-order memory. IEEE arithmetic; MIN and
 * MAX are {@link Math#min(float, float)} and {@link Math#max(float, float)} (NaN wins, -0.0 &lt; +0.0).
 */
final class FloatKernels
{
    private FloatKernels()
    {
    }

    static void reduce32(final ReduceOp op, final long dst, final long a, final long b, final long count)
    {
        switch (op)
        {
            case SUM:
            case AVG:
                sum32(dst, a, b, count);
                break;
            case PROD:
                prod32(dst, a, b, count);
                break;
            case MIN:
                min32(dst, a, b, count);
                break;
            case MAX:
                max32(dst, a, b, count);
                break;
            default:
                throw new IllegalArgumentException("unsupported op " + op);
        }
    }

    static void reduce64(final ReduceOp op, final long dst, final long a, final long b, final long count)
    {
        switch (op)
        {
            case SUM:
            case AVG:
                sum64(dst, a, b, count);
                break;
            case PROD:
                prod64(dst, a, b, count);
                break;
            case MIN:
                min64(dst, a, b, count);
                break;
            case MAX:
                max64(dst, a, b, count);
                break;
            default:
                throw new IllegalArgumentException("unsupported op " + op);
        }
    }

    static void divide32(final long address, final long count, final int divisor)
    {
        final float d = divisor;
        for (long p = address, end = address + (count << 2); p < end; p += 4)
        {
            putFloat(p, getFloat(p) / d);
        }
    }

    static void divide64(final long address, final long count, final int divisor)
    {
        final double d = divisor;
        for (long p = address, end = address + (count << 3); p < end; p += 8)
        {
            putDouble(p, getDouble(p) / d);
        }
    }

    private static float getFloat(final long address)
    {
        return Float.intBitsToFloat(UnsafeApi.getIntUnaligned(null, address));
    }

    private static void putFloat(final long address, final float value)
    {
        UnsafeApi.putIntUnaligned(null, address, Float.floatToRawIntBits(value));
    }

    private static double getDouble(final long address)
    {
        return Double.longBitsToDouble(UnsafeApi.getLongUnaligned(null, address));
    }

    private static void putDouble(final long address, final double value)
    {
        UnsafeApi.putLongUnaligned(null, address, Double.doubleToRawLongBits(value));
    }

    private static void sum32(final long dst, final long a, final long b, final long count)
    {
        for (long i = 0, n = count << 2; i < n; i += 4)
        {
            putFloat(dst + i, getFloat(a + i) + getFloat(b + i));
        }
    }

    private static void prod32(final long dst, final long a, final long b, final long count)
    {
        for (long i = 0, n = count << 2; i < n; i += 4)
        {
            putFloat(dst + i, getFloat(a + i) * getFloat(b + i));
        }
    }

    private static void min32(final long dst, final long a, final long b, final long count)
    {
        for (long i = 0, n = count << 2; i < n; i += 4)
        {
            putFloat(dst + i, Math.min(getFloat(a + i), getFloat(b + i)));
        }
    }

    private static void max32(final long dst, final long a, final long b, final long count)
    {
        for (long i = 0, n = count << 2; i < n; i += 4)
        {
            putFloat(dst + i, Math.max(getFloat(a + i), getFloat(b + i)));
        }
    }

    private static void sum64(final long dst, final long a, final long b, final long count)
    {
        for (long i = 0, n = count << 3; i < n; i += 8)
        {
            putDouble(dst + i, getDouble(a + i) + getDouble(b + i));
        }
    }

    private static void prod64(final long dst, final long a, final long b, final long count)
    {
        for (long i = 0, n = count << 3; i < n; i += 8)
        {
            putDouble(dst + i, getDouble(a + i) * getDouble(b + i));
        }
    }

    private static void min64(final long dst, final long a, final long b, final long count)
    {
        for (long i = 0, n = count << 3; i < n; i += 8)
        {
            putDouble(dst + i, Math.min(getDouble(a + i), getDouble(b + i)));
        }
    }

    private static void max64(final long dst, final long a, final long b, final long count)
    {
        for (long i = 0, n = count << 3; i < n; i += 8)
        {
            putDouble(dst + i, Math.max(getDouble(a + i), getDouble(b + i)));
        }
    }
}
