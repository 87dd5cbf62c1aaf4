package dev.jccl.kernel;

import dev.jccl.ReduceOp;
import org.agrona.UnsafeApi;

/**
 * FLOAT16 and BFLOAT16 loops: each element is widened to float (exact), combined in float and
 * rounded back to nearest-even, one element at a time. MIN and MAX follow {@link Math#min(float, float)}.
 * A NaN result is always a quiet NaN.
 */
final class HalfKernels
{
    private HalfKernels()
    {
    }

    static void reduceFloat16(final ReduceOp op, final long dst, final long a, final long b, final long count)
    {
        switch (op)
        {
            case SUM:
            case AVG:
                sumF16(dst, a, b, count);
                break;
            case PROD:
                prodF16(dst, a, b, count);
                break;
            case MIN:
                minF16(dst, a, b, count);
                break;
            case MAX:
                maxF16(dst, a, b, count);
                break;
            default:
                throw new IllegalArgumentException("unsupported op " + op);
        }
    }

    static void reduceBFloat16(final ReduceOp op, final long dst, final long a, final long b, final long count)
    {
        switch (op)
        {
            case SUM:
            case AVG:
                sumBF16(dst, a, b, count);
                break;
            case PROD:
                prodBF16(dst, a, b, count);
                break;
            case MIN:
                minBF16(dst, a, b, count);
                break;
            case MAX:
                maxBF16(dst, a, b, count);
                break;
            default:
                throw new IllegalArgumentException("unsupported op " + op);
        }
    }

    static void divideFloat16(final long address, final long count, final int divisor)
    {
        final float d = divisor;
        for (long p = address, end = address + (count << 1); p < end; p += 2)
        {
            UnsafeApi.putShortUnaligned(null, p, Float16.fromFloat(f16(p) / d));
        }
    }

    static void divideBFloat16(final long address, final long count, final int divisor)
    {
        final float d = divisor;
        for (long p = address, end = address + (count << 1); p < end; p += 2)
        {
            UnsafeApi.putShortUnaligned(null, p, BFloat16.fromFloat(bf16(p) / d));
        }
    }

    private static float f16(final long address)
    {
        return Float16.toFloat(UnsafeApi.getShortUnaligned(null, address));
    }

    private static float bf16(final long address)
    {
        return BFloat16.toFloat(UnsafeApi.getShortUnaligned(null, address));
    }

    private static void sumF16(final long dst, final long a, final long b, final long count)
    {
        for (long i = 0, n = count << 1; i < n; i += 2)
        {
            UnsafeApi.putShortUnaligned(null, dst + i, Float16.fromFloat(f16(a + i) + f16(b + i)));
        }
    }

    private static void prodF16(final long dst, final long a, final long b, final long count)
    {
        for (long i = 0, n = count << 1; i < n; i += 2)
        {
            UnsafeApi.putShortUnaligned(null, dst + i, Float16.fromFloat(f16(a + i) * f16(b + i)));
        }
    }

    private static void minF16(final long dst, final long a, final long b, final long count)
    {
        for (long i = 0, n = count << 1; i < n; i += 2)
        {
            UnsafeApi.putShortUnaligned(null, dst + i, Float16.fromFloat(Math.min(f16(a + i), f16(b + i))));
        }
    }

    private static void maxF16(final long dst, final long a, final long b, final long count)
    {
        for (long i = 0, n = count << 1; i < n; i += 2)
        {
            UnsafeApi.putShortUnaligned(null, dst + i, Float16.fromFloat(Math.max(f16(a + i), f16(b + i))));
        }
    }

    private static void sumBF16(final long dst, final long a, final long b, final long count)
    {
        for (long i = 0, n = count << 1; i < n; i += 2)
        {
            UnsafeApi.putShortUnaligned(null, dst + i, BFloat16.fromFloat(bf16(a + i) + bf16(b + i)));
        }
    }

    private static void prodBF16(final long dst, final long a, final long b, final long count)
    {
        for (long i = 0, n = count << 1; i < n; i += 2)
        {
            UnsafeApi.putShortUnaligned(null, dst + i, BFloat16.fromFloat(bf16(a + i) * bf16(b + i)));
        }
    }

    private static void minBF16(final long dst, final long a, final long b, final long count)
    {
        for (long i = 0, n = count << 1; i < n; i += 2)
        {
            UnsafeApi.putShortUnaligned(null, dst + i, BFloat16.fromFloat(Math.min(bf16(a + i), bf16(b + i))));
        }
    }

    private static void maxBF16(final long dst, final long a, final long b, final long count)
    {
        for (long i = 0, n = count << 1; i < n; i += 2)
        {
            UnsafeApi.putShortUnaligned(null, dst + i, BFloat16.fromFloat(Math.max(bf16(a + i), bf16(b + i))));
        }
    }
}
