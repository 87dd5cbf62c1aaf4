package dev.jccl.kernel;

import dev.jccl.ReduceOp;
import org.agrona.UnsafeApi;

/** INT8 and UINT8 loops: SUM and PROD wrap (same bits either way), MIN/MAX compare as the type is signed. */
final class Int8Kernels
{
    private Int8Kernels()
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
        if (unsigned)
        {
            for (long i = 0; i < count; i++)
            {
                final long p = address + i;
                UnsafeApi.putByte(null, p, (byte)((UnsafeApi.getByte(null, p) & 0xff) / divisor));
            }
        }
        else
        {
            for (long i = 0; i < count; i++)
            {
                final long p = address + i;
                UnsafeApi.putByte(null, p, (byte)(UnsafeApi.getByte(null, p) / divisor));
            }
        }
    }

    private static void sum(final long dst, final long a, final long b, final long count)
    {
        for (long i = 0; i < count; i++)
        {
            UnsafeApi.putByte(null, dst + i, (byte)(UnsafeApi.getByte(null, a + i) + UnsafeApi.getByte(null, b + i)));
        }
    }

    private static void prod(final long dst, final long a, final long b, final long count)
    {
        for (long i = 0; i < count; i++)
        {
            UnsafeApi.putByte(null, dst + i, (byte)(UnsafeApi.getByte(null, a + i) * UnsafeApi.getByte(null, b + i)));
        }
    }

    private static void minSigned(final long dst, final long a, final long b, final long count)
    {
        for (long i = 0; i < count; i++)
        {
            UnsafeApi.putByte(null, dst + i, (byte)Math.min(UnsafeApi.getByte(null, a + i), UnsafeApi.getByte(null, b + i)));
        }
    }

    private static void maxSigned(final long dst, final long a, final long b, final long count)
    {
        for (long i = 0; i < count; i++)
        {
            UnsafeApi.putByte(null, dst + i, (byte)Math.max(UnsafeApi.getByte(null, a + i), UnsafeApi.getByte(null, b + i)));
        }
    }

    private static void minUnsigned(final long dst, final long a, final long b, final long count)
    {
        for (long i = 0; i < count; i++)
        {
            final int x = UnsafeApi.getByte(null, a + i) & 0xff;
            final int y = UnsafeApi.getByte(null, b + i) & 0xff;
            UnsafeApi.putByte(null, dst + i, (byte)Math.min(x, y));
        }
    }

    private static void maxUnsigned(final long dst, final long a, final long b, final long count)
    {
        for (long i = 0; i < count; i++)
        {
            final int x = UnsafeApi.getByte(null, a + i) & 0xff;
            final int y = UnsafeApi.getByte(null, b + i) & 0xff;
            UnsafeApi.putByte(null, dst + i, (byte)Math.max(x, y));
        }
    }
}
