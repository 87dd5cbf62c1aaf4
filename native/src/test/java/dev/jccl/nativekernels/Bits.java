package dev.jccl.nativekernels;

import dev.jccl.DataType;
import org.agrona.BufferUtil;
import org.agrona.UnsafeApi;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/** Element bits in raw memory, test values with the special cases mixed in, and the comparison rule. */
final class Bits
{
    private Bits()
    {
    }

    /** A zeroed direct buffer whose {@code address} is 64-byte aligned; kept reachable by this holder. */
    static final class Region
    {
        final ByteBuffer buffer;
        final long address;

        Region(final int bytes)
        {
            buffer = ByteBuffer.allocateDirect(bytes + 64);
            address = (BufferUtil.address(buffer) + 63) & ~63L;
        }
    }

    static long get(final DataType type, final long address, final long i)
    {
        final long at = address + i * type.size();
        switch (type.size())
        {
            case 1:
                return UnsafeApi.getByte(null, at) & 0xffL;
            case 2:
                return UnsafeApi.getShortUnaligned(null, at) & 0xffffL;
            case 4:
                return UnsafeApi.getIntUnaligned(null, at) & 0xffffffffL;
            default:
                return UnsafeApi.getLongUnaligned(null, at);
        }
    }

    static void put(final DataType type, final long address, final long i, final long bits)
    {
        final long at = address + i * type.size();
        switch (type.size())
        {
            case 1:
                UnsafeApi.putByte(null, at, (byte)bits);
                break;
            case 2:
                UnsafeApi.putShortUnaligned(null, at, (short)bits);
                break;
            case 4:
                UnsafeApi.putIntUnaligned(null, at, (int)bits);
                break;
            default:
                UnsafeApi.putLongUnaligned(null, at, bits);
                break;
        }
    }

    /** Special values per type: NaNs (quiet, signalling, both signs), ±0, ±inf, subnormals, extremes. */
    static long[] specials(final DataType type)
    {
        switch (type)
        {
            case FLOAT16:
                return new long[] { 0x7e00, 0xfe00, 0x7c01, 0x7dff, 0x7fff, 0xfc01, 0x0000, 0x8000, 0x7c00, 0xfc00,
                    0x0001, 0x03ff, 0x8001, 0x83ff, 0x0400, 0x7bff, 0xfbff, 0x7bfe, 0x3c00, 0xbc00, 0x3c01, 0x1400 };
            case BFLOAT16:
                return new long[] { 0x7fc0, 0xffc0, 0x7f81, 0x7fbf, 0x7fff, 0xff81, 0x0000, 0x8000, 0x7f80, 0xff80,
                    0x0001, 0x007f, 0x8001, 0x807f, 0x0080, 0x7f7f, 0xff7f, 0x7f7e, 0x3f80, 0xbf80, 0x3f81, 0x3b80 };
            case FLOAT32:
                return new long[] { 0x7fc00000L, 0xffc00000L, 0x7f800001L, 0x7fbfffffL, 0x7fffffffL, 0xff800001L, 0,
                    0x80000000L, 0x7f800000L, 0xff800000L, 1, 0x007fffffL, 0x80000001L, 0x807fffffL, 0x00800000L,
                    0x7f7fffffL, 0xff7fffffL, 0x3f800000L, 0xbf800000L, 0x3f800001L, 0x33800000L };
            case FLOAT64:
                return new long[] { 0x7ff8000000000000L, 0xfff8000000000000L, 0x7ff0000000000001L, 0x7ff7ffffffffffffL,
                    0x7fffffffffffffffL, 0, 0x8000000000000000L, 0x7ff0000000000000L, 0xfff0000000000000L, 1,
                    0x000fffffffffffffL, 0x8000000000000001L, 0x0010000000000000L, 0x7fefffffffffffffL,
                    0xffefffffffffffffL, 0x3ff0000000000000L, 0xbff0000000000000L, 0x3ff0000000000001L,
                    0x3ca0000000000000L };
            case INT8:
            case UINT8:
                return new long[] { 0, 1, 2, 0x7f, 0x80, 0x81, 0xff, 0xfe, 0x10 };
            case INT32:
            case UINT32:
                return new long[] { 0, 1, 2, 0x7fffffffL, 0x80000000L, 0x80000001L, 0xffffffffL, 0xfffffffeL, 0x10000 };
            default:
                return new long[] { 0, 1, 2, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1, -1, -2, 1L << 32 };
        }
    }

    /** Bits for one element: a special value, a moderate number (sums that round), or random bits. */
    static long value(final DataType type, final SplittableRandom random, final long[] specials)
    {
        final int pick = random.nextInt(10);
        if (pick < 2)
        {
            return specials[random.nextInt(specials.length)];
        }
        if (pick < 6 && type.isFloatingPoint())
        {
            final float moderate = (float)((random.nextDouble() - 0.5) * Math.scalb(1.0, random.nextInt(-20, 20)));
            switch (type)
            {
                case FLOAT16:
                    return dev.jccl.kernel.Float16.fromFloat(moderate) & 0xffffL;
                case BFLOAT16:
                    return dev.jccl.kernel.BFloat16.fromFloat(moderate) & 0xffffL;
                case FLOAT32:
                    return Float.floatToRawIntBits(moderate) & 0xffffffffL;
                default:
                    return Double.doubleToRawLongBits((random.nextDouble() - 0.5) * Math.scalb(1.0, random.nextInt(-60, 60)));
            }
        }
        final long bits = random.nextLong();
        switch (type.size())
        {
            case 1:
                return bits & 0xffL;
            case 2:
                return bits & 0xffffL;
            case 4:
                return bits & 0xffffffffL;
            default:
                return bits;
        }
    }

    static void fill(final DataType type, final long address, final long count, final SplittableRandom random)
    {
        final long[] specials = specials(type);
        for (long i = 0; i < count; i++)
        {
            put(type, address, i, value(type, random, specials));
        }
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

    /** For binary16 and bfloat16: the quiet bit, which every NaN result must carry (as the Java kernels'). */
    static boolean isQuietHalf(final DataType type, final long bits)
    {
        return type == DataType.FLOAT16 ? (bits & 0x200) != 0 : (bits & 0x40) != 0;
    }

    /**
     * The rule: the same bits, except that two NaN results of a floating-point type are equal whatever
     * their payloads (Java itself leaves which NaN comes out of {@code a + b} to the JIT); a half-width NaN
     * result must be quiet.
     *
     * @return null when equal, otherwise what differs.
     */
    static String difference(final DataType type, final long expected, final long actual)
    {
        if (expected == actual)
        {
            return null;
        }
        if (isNaN(type, expected) && isNaN(type, actual))
        {
            if ((type == DataType.FLOAT16 || type == DataType.BFLOAT16) && !isQuietHalf(type, actual))
            {
                return "NaN result " + hex(type, actual) + " is not quiet";
            }
            return null;
        }
        return "expected " + hex(type, expected) + " but was " + hex(type, actual);
    }

    static String hex(final DataType type, final long bits)
    {
        final String digits = Long.toHexString(bits);
        final int width = type.size() * 2;
        return "0x" + "0".repeat(Math.max(0, width - digits.length())) + digits;
    }
}
