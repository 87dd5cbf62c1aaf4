package dev.jccl.algo;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;
import dev.jccl.kernel.ReduceKernels;
import org.agrona.UnsafeApi;

/**
 * Plain, element-at-a-time reduce kernels for the algorithm tests (the real Java kernels live in
 * dev.jccl.kernel). Integer and 8/32/64-bit float types, signed and unsigned; SUM (and AVG as
 * SUM), PROD, MIN, MAX; MIN/MAX on floats follow {@link Math#min(float, float)}.
 */
final class TestKernels implements ReduceKernels
{
    @Override
    public String name()
    {
        return "test";
    }

    @Override
    public void reduce(final DataType type, final ReduceOp op, final long dst, final long src, final long count)
    {
        reduce(type, op, dst, dst, src, count);
    }

    @Override
    public void reduce(final DataType type, final ReduceOp op, final long dst, final long a, final long b, final long count)
    {
        final int es = type.size();
        for (long i = 0; i < count; i++)
        {
            final long o = i * es;
            switch (type)
            {
                case INT8:
                case UINT8:
                {
                    final byte x = UnsafeApi.getByte(a + o);
                    final byte y = UnsafeApi.getByte(b + o);
                    final byte r;
                    switch (op)
                    {
                        case PROD: r = (byte)(x * y); break;
                        case MIN: r = cmp8(type, x, y) <= 0 ? x : y; break;
                        case MAX: r = cmp8(type, x, y) >= 0 ? x : y; break;
                        default: r = (byte)(x + y);
                    }
                    UnsafeApi.putByte(dst + o, r);
                    break;
                }
                case INT32:
                case UINT32:
                {
                    final int x = UnsafeApi.getInt(a + o);
                    final int y = UnsafeApi.getInt(b + o);
                    final boolean s = type.isSigned();
                    final int r;
                    switch (op)
                    {
                        case PROD: r = x * y; break;
                        case MIN: r = (s ? Integer.compare(x, y) : Integer.compareUnsigned(x, y)) <= 0 ? x : y; break;
                        case MAX: r = (s ? Integer.compare(x, y) : Integer.compareUnsigned(x, y)) >= 0 ? x : y; break;
                        default: r = x + y;
                    }
                    UnsafeApi.putInt(dst + o, r);
                    break;
                }
                case INT64:
                case UINT64:
                {
                    final long x = UnsafeApi.getLong(a + o);
                    final long y = UnsafeApi.getLong(b + o);
                    final boolean s = type.isSigned();
                    final long r;
                    switch (op)
                    {
                        case PROD: r = x * y; break;
                        case MIN: r = (s ? Long.compare(x, y) : Long.compareUnsigned(x, y)) <= 0 ? x : y; break;
                        case MAX: r = (s ? Long.compare(x, y) : Long.compareUnsigned(x, y)) >= 0 ? x : y; break;
                        default: r = x + y;
                    }
                    UnsafeApi.putLong(dst + o, r);
                    break;
                }
                case FLOAT32:
                {
                    final float x = UnsafeApi.getFloat(a + o);
                    final float y = UnsafeApi.getFloat(b + o);
                    final float r;
                    switch (op)
                    {
                        case PROD: r = x * y; break;
                        case MIN: r = Math.min(x, y); break;
                        case MAX: r = Math.max(x, y); break;
                        default: r = x + y;
                    }
                    UnsafeApi.putFloat(dst + o, r);
                    break;
                }
                case FLOAT64:
                {
                    final double x = UnsafeApi.getDouble(a + o);
                    final double y = UnsafeApi.getDouble(b + o);
                    final double r;
                    switch (op)
                    {
                        case PROD: r = x * y; break;
                        case MIN: r = Math.min(x, y); break;
                        case MAX: r = Math.max(x, y); break;
                        default: r = x + y;
                    }
                    UnsafeApi.putDouble(dst + o, r);
                    break;
                }
                default:
                    throw new UnsupportedOperationException("test kernels do not reduce " + type);
            }
        }
    }

    private static int cmp8(final DataType type, final byte x, final byte y)
    {
        return type.isSigned() ? Byte.compare(x, y) : Integer.compare(x & 0xFF, y & 0xFF);
    }

    @Override
    public void divide(final DataType type, final long address, final long count, final int divisor)
    {
        for (long i = 0; i < count; i++)
        {
            final long at = address + i * type.size();
            switch (type)
            {
                case INT8: UnsafeApi.putByte(at, (byte)(UnsafeApi.getByte(at) / divisor)); break;
                case INT32: UnsafeApi.putInt(at, UnsafeApi.getInt(at) / divisor); break;
                case INT64: UnsafeApi.putLong(at, UnsafeApi.getLong(at) / divisor); break;
                case FLOAT32: UnsafeApi.putFloat(at, UnsafeApi.getFloat(at) / divisor); break;
                case FLOAT64: UnsafeApi.putDouble(at, UnsafeApi.getDouble(at) / divisor); break;
                default: throw new UnsupportedOperationException("test kernels do not divide " + type);
            }
        }
    }
}
