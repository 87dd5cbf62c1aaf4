package dev.jccl.kernel;

import dev.jccl.ReduceOp;
import org.agrona.UnsafeApi;

/**
 * INT32 and UINT32 loops over possibly unaligned native-order memory: SUM and PROD wrap (same
 * bits either way), MIN/MAX compare as the type is signed.
 */
final class Int32Kernels
{
    private Int32Kernels()
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
        final long end = address + (count << 2);
        if (unsigned)
        {
            for (long p = address; p < end; p += 4)
            {
                UnsafeApi.putIntUnaligned(null, p, Integer.divideUnsigned(UnsafeApi.getIntUnaligned(null, p), divisor));
            }
        }
        else
        {
            for (long p = address; p < end; p += 4)
            {
                UnsafeApi.putIntUnaligned(null, p, UnsafeApi.getIntUnaligned(null, p) / divisor);
            }
        }
    }

    private static void sum(final long dst, final long a, final long b, final long count)
    {
        for (long i = 0, n = count << 2; i < n; i += 4)
        {
            UnsafeApi.putIntUnaligned(null, dst + i, UnsafeApi.getIntUnaligned(null, a + i) + UnsafeApi.getIntUnaligned(null, b + i));
        }
    }

    private static void prod(final long dst, final long a, final long b, final long count)
    {
        for (long i = 0, n = count << 2; i < n; i += 4)
        {
            UnsafeApi.putIntUnaligned(null, dst + i, UnsafeApi.getIntUnaligned(null, a + i) * UnsafeApi.getIntUnaligned(null, b + i));
        }
    }

    private static void minSigned(final long dst, final long a, final long b, final long count)
    {
        for (long i = 0, n = count << 2; i < n; i += 4)
        {
            UnsafeApi.putIntUnaligned(null, dst + i, Math.min(UnsafeApi.getIntUnaligned(null, a + i), UnsafeApi.getIntUnaligned(null, b + i)));
        }
    }

    private static void maxSigned(final long dst, final long a, final long b, final long count)
    {
        for (long i = 0, n = count << 2; i < n; i += 4)
        {
            UnsafeApi.putIntUnaligned(null, dst + i, Math.max(UnsafeApi.getIntUnaligned(null, a + i), UnsafeApi.getIntUnaligned(null, b + i)));
        }
    }

    private static void minUnsigned(final long dst, final long a, final long b, final long count)
    {
        for (long i = 0, n = count << 2; i < n; i += 4)
        {
            // flipping the sign bit maps unsigned order onto signed order
            final int x = UnsafeApi.getIntUnaligned(null, a + i) ^ Integer.MIN_VALUE;
            final int y = UnsafeApi.getIntUnaligned(null, b + i) ^ Integer.MIN_VALUE;
            UnsafeApi.putIntUnaligned(null, dst + i, Math.min(x, y) ^ Integer.MIN_VALUE);
        }
    }

    private static void maxUnsigned(final long dst, final long a, final long b, final long count)
    {
        for (long i = 0, n = count << 2; i < n; i += 4)
        {
            final int x = UnsafeApi.getIntUnaligned(null, a + i) ^ Integer.MIN_VALUE;
            final int y = UnsafeApi.getIntUnaligned(null, b + i) ^ Integer.MIN_VALUE;
            UnsafeApi.putIntUnaligned(null, dst + i, Math.max(x, y) ^ Integer.MIN_VALUE);
        }
    }
}
