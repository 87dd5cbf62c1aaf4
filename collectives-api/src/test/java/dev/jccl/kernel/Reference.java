package dev.jccl.kernel;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;

/**
 * The kernels' contract written the plain way, one element at a time on Java values, with element
 * bits held zero-extended in a long.
 */
final class Reference
{
    private Reference()
    {
    }

    static long mask(final DataType type, final long bits)
    {
        return type.size() == 8 ? bits : bits & ((1L << (8 * type.size())) - 1);
    }

    static long signExtend(final DataType type, final long bits)
    {
        final int shift = 64 - 8 * type.size();
        return (bits << shift) >> shift;
    }

    static long reduce(final DataType type, final ReduceOp op, final long x, final long y)
    {
        switch (type)
        {
            case FLOAT32:
            {
                final float r = floatOp(op, Float.intBitsToFloat((int)x), Float.intBitsToFloat((int)y));
                return mask(type, Float.floatToRawIntBits(r));
            }
            case FLOAT64:
            {
                return Double.doubleToRawLongBits(doubleOp(op, Double.longBitsToDouble(x), Double.longBitsToDouble(y)));
            }
            case FLOAT16:
            {
                // exact in double, one rounding to float, one to half (innocuous double rounding)
                final double r = doubleOp(op, Float16.toFloat((short)x), Float16.toFloat((short)y));
                return Float16.fromFloat((float)r) & 0xffffL;
            }
            case BFLOAT16:
            {
                final double r = doubleOp(op, BFloat16.toFloat((short)x), BFloat16.toFloat((short)y));
                return BFloat16.fromFloat((float)r) & 0xffffL;
            }
            default:
                return mask(type, integerOp(type, op, x, y));
        }
    }

    static long divide(final DataType type, final long x, final int divisor)
    {
        switch (type)
        {
            case FLOAT32:
                return mask(type, Float.floatToRawIntBits(Float.intBitsToFloat((int)x) / divisor));
            case FLOAT64:
                return Double.doubleToRawLongBits(Double.longBitsToDouble(x) / divisor);
            case FLOAT16:
                return Float16.fromFloat(Float16.toFloat((short)x) / divisor) & 0xffffL;
            case BFLOAT16:
                return BFloat16.fromFloat(BFloat16.toFloat((short)x) / divisor) & 0xffffL;
            default:
                return type.isSigned()
                    ? mask(type, signExtend(type, x) / divisor)
                    : mask(type, Long.divideUnsigned(mask(type, x), divisor));
        }
    }

    /** True when the two element bit patterns are equal, or both NaN of a floating-point type. */
    static boolean same(final DataType type, final long expected, final long actual)
    {
        return mask(type, expected) == mask(type, actual) || isNaN(type, expected) && isNaN(type, actual);
    }

    static boolean isNaN(final DataType type, final long bits)
    {
        switch (type)
        {
            case FLOAT16:
                return (bits & 0x7c00) == 0x7c00 && (bits & 0x3ff) != 0;
            case BFLOAT16:
                return (bits & 0x7f80) == 0x7f80 && (bits & 0x7f) != 0;
            case FLOAT32:
                return Float.isNaN(Float.intBitsToFloat((int)bits));
            case FLOAT64:
                return Double.isNaN(Double.longBitsToDouble(bits));
            default:
                return false;
        }
    }

    private static long integerOp(final DataType type, final ReduceOp op, final long x, final long y)
    {
        final long sx = signExtend(type, x);
        final long sy = signExtend(type, y);
        switch (op)
        {
            case SUM:
            case AVG:
                return sx + sy;
            case PROD:
                return sx * sy;
            case MIN:
                return compare(type, x, y) <= 0 ? x : y;
            case MAX:
                return compare(type, x, y) >= 0 ? x : y;
            default:
                throw new AssertionError(op);
        }
    }

    private static int compare(final DataType type, final long x, final long y)
    {
        return type.isSigned()
            ? Long.compare(signExtend(type, x), signExtend(type, y))
            : Long.compareUnsigned(mask(type, x), mask(type, y));
    }

    private static float floatOp(final ReduceOp op, final float a, final float b)
    {
        switch (op)
        {
            case SUM:
            case AVG:
                return a + b;
            case PROD:
                return a * b;
            default:
                return (float)minMax(op, a, b);
        }
    }

    private static double doubleOp(final ReduceOp op, final double a, final double b)
    {
        switch (op)
        {
            case SUM:
            case AVG:
                return a + b;
            case PROD:
                return a * b;
            default:
                return minMax(op, a, b);
        }
    }

    /** ReduceOp's rule spelled out: NaN wins, -0.0 is below +0.0, otherwise the usual order. */
    private static double minMax(final ReduceOp op, final double a, final double b)
    {
        if (Double.isNaN(a) || Double.isNaN(b))
        {
            return Double.NaN;
        }
        if (a == 0.0 && b == 0.0)
        {
            final boolean anyNegative = (1 / a < 0) || (1 / b < 0);
            final boolean bothNegative = (1 / a < 0) && (1 / b < 0);
            final boolean negative = op == ReduceOp.MIN ? anyNegative : bothNegative;
            return negative ? -0.0 : 0.0;
        }
        if (op == ReduceOp.MIN)
        {
            return a < b ? a : b;
        }
        return a > b ? a : b;
    }
}
