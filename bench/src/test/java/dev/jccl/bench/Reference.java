package dev.jccl.bench;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A straightforward element-wise reduction in the type's own arithmetic (each step rounded to the
 * type, as a library does), for the fake cluster and for proving the check data exact.
 */
final class Reference
{
    private Reference()
    {
    }

    /** Reduces the ranks' byte images in rank order; AVG divides at the end. */
    static byte[] reduce(final byte[][] all, final DataType t, final ReduceOp op)
    {
        final int[] order = new int[all.length];
        for (int i = 0; i < order.length; i++)
        {
            order[i] = i;
        }
        return reduce(all, t, op, order);
    }

    /** Reduces in the rank order given. */
    static byte[] reduce(final byte[][] all, final DataType t, final ReduceOp op, final int[] order)
    {
        final byte[] out = all[order[0]].clone();
        final ByteBuffer acc = ByteBuffer.wrap(out).order(ByteOrder.nativeOrder());
        final long count = out.length / t.size();
        for (int k = 1; k < order.length; k++)
        {
            final ByteBuffer in = ByteBuffer.wrap(all[order[k]]).order(ByteOrder.nativeOrder());
            for (long i = 0; i < count; i++)
            {
                Elements.putBits(acc, t, i, combine(t, op, Elements.getBits(acc, t, i), Elements.getBits(in, t, i)));
            }
        }
        if (op == ReduceOp.AVG)
        {
            for (long i = 0; i < count; i++)
            {
                Elements.putBits(acc, t, i, divide(t, Elements.getBits(acc, t, i), all.length));
            }
        }
        return out;
    }

    static long combine(final DataType t, final ReduceOp op, final long a, final long b)
    {
        if (t.isFloatingPoint())
        {
            final double x = Elements.decode(t, a);
            final double y = Elements.decode(t, b);
            final double r;
            switch (op)
            {
                case SUM: case AVG: r = x + y; break;
                case PROD: r = x * y; break;
                case MIN: r = Math.min(x, y); break;
                case MAX: r = Math.max(x, y); break;
                default: throw new IllegalArgumentException(op.toString());
            }
            return round(t, r);
        }
        final long x = signExtend(t, a);
        final long y = signExtend(t, b);
        final long r;
        switch (op)
        {
            case SUM: case AVG: r = x + y; break;
            case PROD: r = x * y; break;
            case MIN: r = t.isSigned() ? Math.min(x, y) : (Long.compareUnsigned(x, y) <= 0 ? x : y); break;
            case MAX: r = t.isSigned() ? Math.max(x, y) : (Long.compareUnsigned(x, y) >= 0 ? x : y); break;
            default: throw new IllegalArgumentException(op.toString());
        }
        return Elements.encode(t, r);
    }

    static long divide(final DataType t, final long bits, final int n)
    {
        if (t.isFloatingPoint())
        {
            return t == DataType.FLOAT64 ? round(t, Elements.decode(t, bits) / n) : round(t, (float)Elements.decode(t, bits) / (float)n);
        }
        final long v = signExtend(t, bits);
        return Elements.encode(t, t.isSigned() ? v / n : Long.divideUnsigned(v, n));
    }

    /** Rounds a double to the type (float arithmetic for the 16-bit types, as kernels do). */
    static long round(final DataType t, final double r)
    {
        switch (t)
        {
            case FLOAT64: return Double.doubleToRawLongBits(r);
            case FLOAT32: return Float.floatToRawIntBits((float)r) & 0xffffffffL;
            case FLOAT16: return Elements.halfFromFloat((float)r) & 0xffffL;
            case BFLOAT16: return Elements.bfloat16FromFloat((float)r) & 0xffffL;
            default: throw new IllegalArgumentException(t.toString());
        }
    }

    static long signExtend(final DataType t, final long bits)
    {
        switch (t)
        {
            case INT8: return (byte)bits;
            case INT32: return (int)bits;
            case UINT8: return bits & 0xff;
            case UINT32: return bits & 0xffffffffL;
            default: return bits;
        }
    }
}
