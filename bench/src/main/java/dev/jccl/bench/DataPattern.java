package dev.jccl.bench;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;

/**
 * The check pass's data: the value rank {@code r} puts at element {@code j}, and what a reduction
 * over all ranks must give there. Values are small non-negative integers bounded so that every
 * partial result, in whatever order the ranks are combined, is exact in the type:
 * <ul>
 * <li>SUM and AVG: a rank's value is below {@code limit / nranks}, where limit is the largest
 *     integer up to which the type is exact (2048 half, 256 bfloat16, 2^24 float, 2^53 double);
 *     integer types wrap, which is exact in any order too;</li>
 * <li>PROD: 1s and a few 2s, at most 15 twos per element for half (2^15 is below its maximum),
 *     62 otherwise (integers wrap exactly);</li>
 * <li>MIN, MAX and data movement: values up to 250 (127 for int8) from a hash of element and rank,
 *     so a block landing at the wrong offset or from the wrong rank shows.</li>
 * </ul>
 * AVG on floating types is the exact sum divided by the rank count; the library may round that
 * quotient in its own way (float arithmetic, reciprocal), so the check allows one unit in the last
 * place there and nowhere else. AVG on integers is the truncated quotient of the wrapped sum.
 */
public final class DataPattern
{
    private final DataType type;
    private final ReduceOp op;
    private final int nranks;
    private final int seed;
    private final long modulus;
    private final int prodPeriod;

    /**
     * @param op the reduction, or null for collectives that only move data.
     * @param seed differs per check iteration so a stale buffer from the last one does not pass.
     */
    public DataPattern(final DataType type, final ReduceOp op, final int nranks, final int seed)
    {
        this.type = type;
        this.op = op;
        this.nranks = nranks;
        this.seed = seed;
        final long limit = exactLimit(type);
        if (op == ReduceOp.SUM || op == ReduceOp.AVG)
        {
            this.modulus = type.isFloatingPoint() ? Math.max(1, Math.min(61, limit / nranks + 1)) : 61;
        }
        else
        {
            this.modulus = Math.min(limit + 1, 251);
        }
        if (op == ReduceOp.PROD && type.isFloatingPoint())
        {
            final int maxTwos = type == DataType.FLOAT16 ? 15 : 62;
            this.prodPeriod = Math.max(2, (nranks + maxTwos - 1) / maxTwos);
        }
        else
        {
            this.prodPeriod = 2;
        }
    }

    /** Largest integer magnitude up to which every integer is exact (integers: the positive range of int8/uint8). */
    static long exactLimit(final DataType type)
    {
        switch (type)
        {
            case FLOAT16: return 2048;
            case BFLOAT16: return 256;
            case FLOAT32: return 1L << 24;
            case FLOAT64: return 1L << 53;
            case INT8: return 127;
            case UINT8: return 255;
            default: return Long.MAX_VALUE - 1;
        }
    }

    public DataType type()
    {
        return type;
    }

    /** The value of rank {@code rank} at element {@code index}. */
    public long value(final int rank, final long index)
    {
        if (op == ReduceOp.PROD)
        {
            return Math.floorMod(index + rank + seed, prodPeriod) == 0 ? 2 : 1;
        }
        if (modulus == 1)
        {
            return 0;
        }
        long h = (index + 1) * 0x9E3779B97F4A7C15L;
        h ^= (rank + 1L) * 0xC2B2AE3D27D4EB4FL;
        h ^= (seed + 1L) * 0x165667B19E3779F9L;
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 29;
        return Long.remainderUnsigned(h, modulus);
    }

    /** {@link #value} as the type's bits. */
    public long bits(final int rank, final long index)
    {
        return Elements.encode(type, value(rank, index));
    }

    /** The reduction over every rank at {@code index}, before AVG's division, wrapped for integer types. */
    public long reducedValue(final long index)
    {
        long acc = value(0, index);
        for (int r = 1; r < nranks; r++)
        {
            final long v = value(r, index);
            switch (op)
            {
                case SUM:
                case AVG:
                    acc += v;
                    break;
                case PROD:
                    acc *= v;
                    break;
                case MIN:
                    acc = Math.min(acc, v);
                    break;
                case MAX:
                    acc = Math.max(acc, v);
                    break;
                default:
                    throw new IllegalStateException(String.valueOf(op));
            }
        }
        return acc;
    }

    /** Whether {@code bits} read from a result buffer is the reduction over every rank at {@code index}. */
    public boolean reducedMatches(final long bits, final long index)
    {
        final long exact = reducedValue(index);
        if (op != ReduceOp.AVG)
        {
            return bits == Elements.encode(type, exact);
        }
        if (type.isFloatingPoint())
        {
            final double expected = (double)exact / nranks;
            final double got = Elements.decode(type, bits);
            return Math.abs(got - expected) <= Elements.ulp(type, expected);
        }
        return bits == Elements.encode(type, integerAverage(exact));
    }

    private long integerAverage(final long wrappedSum)
    {
        switch (type)
        {
            case INT8: return (byte)wrappedSum / nranks;
            case UINT8: return (wrappedSum & 0xff) / nranks;
            case INT32: return (int)wrappedSum / nranks;
            case UINT32: return (wrappedSum & 0xffffffffL) / nranks;
            case INT64: return wrappedSum / nranks;
            case UINT64: return Long.divideUnsigned(wrappedSum, nranks);
            default: throw new IllegalStateException(type.toString());
        }
    }
}
