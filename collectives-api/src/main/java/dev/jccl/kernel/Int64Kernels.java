package dev.jccl.kernel;

import dev.jccl.ReduceOp;
import org.agrona.UnsafeApi;

/**
 * INT64 and UINT64 loops over possibly unaligned native-order memory: SUM and PROD wrap (same
 * bits either way), MIN/MAX compare as the type is signed.
 */
final class Int64Kernels
{
    private Int64Kernels()
    {
    }

    static void reduce(final boolean unsigned, final ReduceOp op, final long dst, final long a, final long b, final long count)
    {
        switch (op)
        {
            case SUM:
            case AVG:
                sum(dst, a, b, count);
                break;
            case PROD:
                prod(dst, a, b, count);
                break;
            case MIN:
                if (unsigned)
                {
                    minUnsigned(dst, a, b, count);
                }
                else
                {
                    minSigned(dst, a, b, count);
                }
                break;
            case MAX:
                if (unsigned)
                {
                    maxUnsigned(dst, a, b, count);
                }
                else
                {
                    maxSigned(dst, a, b, count);
                }
                break;
            default:
                throw new IllegalArgumentException("unsupported op " + op);
        }
    }

    static void divide(final boolean unsigned, final long address, final long count, final int divisor)
    {
        final long end = address + (count << 3);
        if (unsigned)
        {
            for (long p = address; p < end; p += 8)
            {
                UnsafeApi.putLongUnaligned(null, p, Long.divideUnsigned(UnsafeApi.getLongUnaligned(null, p), divisor));
            }
        }
        else
        {
            for (long p = address; p < end; p += 8)
            {
                UnsafeApi.putLongUnaligned(null, p, UnsafeApi.getLongUnaligned(null, p) / divisor);
            }
        }
    }

    private static void sum(final long dst, final long a, final long b, final long count)
    {
        for (long i = 0, n = count << 3; i < n; i += 8)
        {
            UnsafeApi.putLongUnaligned(null, dst + i, UnsafeApi.getLongUnaligned(null, a + i) + UnsafeApi.getLongUnaligned(null, b + i));
        }
    }

    private static void prod(final long dst, final long a, final long b, final long count)
    {
        for (long i = 0, n = count << 3; i < n; i += 8)
        {
            UnsafeApi.putLongUnaligned(null, dst + i, UnsafeApi.getLongUnaligned(null, a + i) * UnsafeApi.getLongUnaligned(null, b + i));
        }
    }

    private static void minSigned(final long dst, final long a, final long b, final long count)
    {
        for (long i = 0, n = count << 3; i < n; i += 8)
        {
            UnsafeApi.putLongUnaligned(null, dst + i, Math.min(UnsafeApi.getLongUnaligned(null, a + i), UnsafeApi.getLongUnaligned(null, b + i)));
        }
    }

    private static void maxSigned(final long dst, final long a, final long b, final long count)
    {
        for (long i = 0, n = count << 3; i < n; i += 8)
        {
            UnsafeApi.putLongUnaligned(null, dst + i, Math.max(UnsafeApi.getLongUnaligned(null, a + i), UnsafeApi.getLongUnaligned(null, b + i)));
        }
    }

    private static void minUnsigned(final long dst, final long a, final long b, final long count)
    {
        for (long i = 0, n = count << 3; i < n; i += 8)
        {
            // flipping the sign bit maps unsigned order onto signed order
            final long x = UnsafeApi.getLongUnaligned(null, a + i) ^ Long.MIN_VALUE;
            final long y = UnsafeApi.getLongUnaligned(null, b + i) ^ Long.MIN_VALUE;
            UnsafeApi.putLongUnaligned(null, dst + i, Math.min(x, y) ^ Long.MIN_VALUE);
        }
    }

    private static void maxUnsigned(final long dst, final long a, final long b, final long count)
    {
        for (long i = 0, n = count << 3; i < n; i += 8)
        {
            final long x = UnsafeApi.getLongUnaligned(null, a + i) ^ Long.MIN_VALUE;
            final long y = UnsafeApi.getLongUnaligned(null, b + i) ^ Long.MIN_VALUE;
            UnsafeApi.putLongUnaligned(null, dst + i, Math.max(x, y) ^ Long.MIN_VALUE);
        }
    }
}
