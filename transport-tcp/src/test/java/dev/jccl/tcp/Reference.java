package dev.jccl.tcp;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Independent expectations for the collective tests: inputs are small integers, so every type
 * represents them exactly and the answer does not depend on reduction order (the nccl-tests
 * trick). Encoding to FLOAT16/BFLOAT16 is done here from the float bit pattern, not by the code
 * under test.
 */
public final class Reference
{
    private Reference()
    {
    }

    /**
     * Input of {@code rank} at element {@code i}. For non-PROD ops, ranks' offsets sum to zero,
     * so SUM is size x base and AVG is exactly base even for integer types.
     */
    public static long input(final DataType type, final ReduceOp op, final int rank, final int size, final long i)
    {
        if (op == ReduceOp.PROD)
        {
            final long k = (rank + i) % 3;
            return k == 0 ? 2 : (k == 1 || !type.isSigned() ? 1 : -1);
        }
        final long base = size + (i * 7 + 3) % 9;
        final long offset = rank == 0 ? -(size - 1) : 1;
        return type.isSigned() ? base + offset - size : base + offset;
    }

    public static long expected(final DataType type, final ReduceOp op, final int size, final long i)
    {
        long acc = input(type, op, 0, size, i);
        for (int r = 1; r < size; r++)
        {
            final long v = input(type, op, r, size, i);
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
                    throw new AssertionError(op);
            }
        }
        if (op == ReduceOp.AVG)
        {
            acc = acc / size;
        }
        return acc;
    }

    /** Writes the exact value {@code v} as {@code type} at {@code index} (native order). */
    public static void put(final ByteBuffer buffer, final int byteOffset, final DataType type, final long index, final long v)
    {
        final ByteBuffer b = buffer.duplicate().order(ByteOrder.nativeOrder());
        final int at = byteOffset + (int)(index * type.size());
        switch (type)
        {
            case INT8:
            case UINT8:
                b.put(at, (byte)v);
                break;
            case INT32:
            case UINT32:
                b.putInt(at, (int)v);
                break;
            case INT64:
            case UINT64:
                b.putLong(at, v);
                break;
            case FLOAT32:
                b.putFloat(at, v);
                break;
            case FLOAT64:
                b.putDouble(at, v);
                break;
            case BFLOAT16:
                b.putShort(at, (short)(Float.floatToRawIntBits(v) >>> 16));
                break;
            case FLOAT16:
                b.putShort(at, halfBits(v));
                break;
            default:
                throw new AssertionError(type);
        }
    }

    /** The bytes {@code type} uses for the exact value {@code v}, as a long for comparison. */
    public static long bits(final DataType type, final long v)
    {
        switch (type)
        {
            case INT8:
            case UINT8:
                return (byte)v & 0xFFL;
            case INT32:
            case UINT32:
                return (int)v & 0xFFFF_FFFFL;
            case INT64:
            case UINT64:
                return v;
            case FLOAT32:
                return Float.floatToRawIntBits(v) & 0xFFFF_FFFFL;
            case FLOAT64:
                return Double.doubleToRawLongBits(v);
            case BFLOAT16:
                return (Float.floatToRawIntBits(v) >>> 16) & 0xFFFFL;
            case FLOAT16:
                return halfBits(v) & 0xFFFFL;
            default:
                throw new AssertionError(type);
        }
    }

    public static long read(final ByteBuffer buffer, final int byteOffset, final DataType type, final long index)
    {
        final ByteBuffer b = buffer.duplicate().order(ByteOrder.nativeOrder());
        final int at = byteOffset + (int)(index * type.size());
        switch (type.size())
        {
            case 1:
                return b.get(at) & 0xFFL;
            case 2:
                return b.getShort(at) & 0xFFFFL;
            case 4:
                return b.getInt(at) & 0xFFFF_FFFFL;
            default:
                return b.getLong(at);
        }
    }

    /** FLOAT16 bits of a small integer (|v| < 2048, exact). */
    private static short halfBits(final long v)
    {
        if (v == 0)
        {
            return 0;
        }
        final int sign = v < 0 ? 0x8000 : 0;
        final long magnitude = Math.abs(v);
        final int exponent = 63 - Long.numberOfLeadingZeros(magnitude);
        final long mantissa = (magnitude << (10 - exponent)) & 0x3FF;
        return (short)(sign | ((exponent + 15) << 10) | mantissa);
    }
}
