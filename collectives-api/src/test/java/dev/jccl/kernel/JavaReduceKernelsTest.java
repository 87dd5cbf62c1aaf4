package dev.jccl.kernel;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class JavaReduceKernelsTest
{
    private static final ReduceKernels KERNELS = JavaReduceKernels.INSTANCE;
    private static final int[] SIZES = { 0, 1, 7, 1000 };

    /** Where the result goes relative to the operands. */
    enum Form
    {
        TWO_ADDRESS, THREE_ADDRESS_DISTINCT, THREE_ADDRESS_DST_IS_A, THREE_ADDRESS_DST_IS_B
    }

    static Stream<Arguments> everyTypeOpSizeAndForm()
    {
        final List<Arguments> cases = new ArrayList<>();
        for (final DataType type : DataType.values())
        {
            for (final ReduceOp op : ReduceOp.values())
            {
                for (final int size : SIZES)
                {
                    for (final Form form : Form.values())
                    {
                        cases.add(Arguments.of(type, op, size, form));
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} count={2} {3}")
    @MethodSource("everyTypeOpSizeAndForm")
    void reduceMatchesElementwiseReferenceAtUnalignedAddresses(
        final DataType type, final ReduceOp op, final int size, final Form form)
    {
        final SplittableRandom random = new SplittableRandom(type.ordinal() * 1000L + op.ordinal() * 10L + size);
        final long[] a = values(type, size, random);
        final long[] b = values(type, size, random);
        final long[] expected = new long[size];
        for (int i = 0; i < size; i++)
        {
            expected[i] = Reference.reduce(type, op, a[i], b[i]);
        }

        // three different misalignments, none a multiple of the element size
        final OffHeap memA = OffHeap.of(type, a, 1);
        final OffHeap memB = OffHeap.of(type, b, 3);
        final OffHeap memDst = new OffHeap(type, size, 5);
        memDst.write(values(type, size, random)); // garbage the kernel must overwrite
        final OffHeap result;
        switch (form)
        {
            case TWO_ADDRESS:
                KERNELS.reduce(type, op, memA.address, memB.address, size);
                result = memA;
                break;
            case THREE_ADDRESS_DISTINCT:
                KERNELS.reduce(type, op, memDst.address, memA.address, memB.address, size);
                result = memDst;
                assertArrayBits(type, a, memA.read(), "a must be untouched");
                break;
            case THREE_ADDRESS_DST_IS_A:
                KERNELS.reduce(type, op, memA.address, memA.address, memB.address, size);
                result = memA;
                break;
            default:
                KERNELS.reduce(type, op, memB.address, memA.address, memB.address, size);
                result = memB;
                break;
        }
        assertArrayBits(type, expected, result.read(), type + " " + op);
        if (form != Form.THREE_ADDRESS_DST_IS_B)
        {
            assertArrayBits(type, b, memB.read(), "b must be untouched");
        }
        assertEquals(0, result.guardByte(), "wrote past the end");
    }

    static Stream<Arguments> everyTypeAndDivisor()
    {
        final List<Arguments> cases = new ArrayList<>();
        for (final DataType type : DataType.values())
        {
            for (final int divisor : new int[] { 1, 2, 3, 7, 8, 1000 })
            {
                cases.add(Arguments.of(type, divisor));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("everyTypeAndDivisor")
    void divideMatchesReferenceForEveryTypeAtAnUnalignedAddress(final DataType type, final int divisor)
    {
        for (final int size : SIZES)
        {
            final long[] x = values(type, size, new SplittableRandom(size * 31L + divisor));
            final long[] expected = new long[size];
            for (int i = 0; i < size; i++)
            {
                expected[i] = Reference.divide(type, x[i], divisor);
            }
            final OffHeap memory = OffHeap.of(type, x, 3);
            KERNELS.divide(type, memory.address, size, divisor);
            assertArrayBits(type, expected, memory.read(), type + " / " + divisor + " count=" + size);
            assertEquals(0, memory.guardByte(), "wrote past the end");
        }
    }

    @ParameterizedTest
    @EnumSource(DataType.class)
    void avgReducesExactlyAsSum(final DataType type)
    {
        final SplittableRandom random = new SplittableRandom(7);
        final long[] a = values(type, 100, random);
        final long[] b = values(type, 100, random);
        final OffHeap sum = OffHeap.of(type, a, 1);
        final OffHeap avg = OffHeap.of(type, a, 2);
        final OffHeap src = OffHeap.of(type, b, 0);
        KERNELS.reduce(type, ReduceOp.SUM, sum.address, src.address, 100);
        KERNELS.reduce(type, ReduceOp.AVG, avg.address, src.address, 100);
        assertArrayBits(type, sum.read(), avg.read(), "AVG vs SUM");
    }

    // ---------------------------------------------------------------- floating-point special values

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = { "FLOAT16", "BFLOAT16", "FLOAT32", "FLOAT64" })
    void floatSpecialValuesFollowIeeeAndTheMathMinMaxRuleForEveryPair(final DataType type)
    {
        final long[] specials = specials(type);
        final int n = specials.length * specials.length;
        final long[] a = new long[n];
        final long[] b = new long[n];
        for (int i = 0; i < specials.length; i++)
        {
            for (int j = 0; j < specials.length; j++)
            {
                a[i * specials.length + j] = specials[i];
                b[i * specials.length + j] = specials[j];
            }
        }
        for (final ReduceOp op : ReduceOp.values())
        {
            final OffHeap dst = new OffHeap(type, n, 1);
            final OffHeap memA = OffHeap.of(type, a, 2);
            final OffHeap memB = OffHeap.of(type, b, 3);
            KERNELS.reduce(type, op, dst.address, memA.address, memB.address, n);
            for (int k = 0; k < n; k++)
            {
                final long expected = Reference.reduce(type, op, a[k], b[k]);
                final long actual = dst.get(k);
                if (!Reference.same(type, expected, actual))
                {
                    fail(type + " " + op + "(0x" + Long.toHexString(a[k]) + ", 0x" + Long.toHexString(b[k]) + ") = 0x" +
                        Long.toHexString(actual) + ", expected 0x" + Long.toHexString(expected));
                }
            }
        }
    }

    @Test
    void minOfSignedZerosIsNegativeZeroAndMaxIsPositiveZero()
    {
        assertEquals(0x8000_0000L, reduce1(DataType.FLOAT32, ReduceOp.MIN, 0x0000_0000L, 0x8000_0000L));
        assertEquals(0x8000_0000L, reduce1(DataType.FLOAT32, ReduceOp.MIN, 0x8000_0000L, 0x0000_0000L));
        assertEquals(0x0000_0000L, reduce1(DataType.FLOAT32, ReduceOp.MAX, 0x8000_0000L, 0x0000_0000L));
        assertEquals(Double.doubleToRawLongBits(-0.0),
            reduce1(DataType.FLOAT64, ReduceOp.MIN, Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(-0.0)));
        assertEquals(0x8000L, reduce1(DataType.FLOAT16, ReduceOp.MIN, 0x0000L, 0x8000L));
        assertEquals(0x0000L, reduce1(DataType.FLOAT16, ReduceOp.MAX, 0x8000L, 0x0000L));
        assertEquals(0x8000L, reduce1(DataType.BFLOAT16, ReduceOp.MIN, 0x8000L, 0x0000L));
        assertEquals(0x0000L, reduce1(DataType.BFLOAT16, ReduceOp.MAX, 0x0000L, 0x8000L));
        // -0 + -0 stays -0; -0 + +0 is +0
        assertEquals(0x8000L, reduce1(DataType.FLOAT16, ReduceOp.SUM, 0x8000L, 0x8000L));
        assertEquals(0x0000L, reduce1(DataType.FLOAT16, ReduceOp.SUM, 0x8000L, 0x0000L));
    }

    @Test
    void nanPropagatesThroughMinAndMaxFromEitherSide()
    {
        final long nan32 = Float.floatToRawIntBits(Float.NaN) & 0xffffffffL;
        final long one32 = Float.floatToRawIntBits(1f) & 0xffffffffL;
        for (final ReduceOp op : new ReduceOp[] { ReduceOp.MIN, ReduceOp.MAX })
        {
            assertTrue(Float.isNaN(Float.intBitsToFloat((int)reduce1(DataType.FLOAT32, op, nan32, one32))));
            assertTrue(Float.isNaN(Float.intBitsToFloat((int)reduce1(DataType.FLOAT32, op, one32, nan32))));
            assertTrue(Reference.isNaN(DataType.FLOAT16, reduce1(DataType.FLOAT16, op, 0x7e00L, 0x3c00L)));
            assertTrue(Reference.isNaN(DataType.FLOAT16, reduce1(DataType.FLOAT16, op, 0xfc00L, 0x7e00L)));
            assertTrue(Reference.isNaN(DataType.BFLOAT16, reduce1(DataType.BFLOAT16, op, 0x3f80L, 0x7fc0L)));
        }
        assertTrue(Double.isNaN(Double.longBitsToDouble(reduce1(DataType.FLOAT64, ReduceOp.MAX,
            Double.doubleToRawLongBits(Double.POSITIVE_INFINITY), Double.doubleToRawLongBits(Double.NaN)))));
    }

    @Test
    void signalingHalfNaNsComeOutAsQuietNaNsNeverInfinity()
    {
        // payload only in the lowest mantissa bit: a careless rounding would make these infinities
        for (final ReduceOp op : ReduceOp.values())
        {
            final long f16 = reduce1(DataType.FLOAT16, op, 0x7c01L, 0x3c00L);
            assertEquals(0x7e00L, f16 & 0x7e00L, "FLOAT16 " + op + " gave 0x" + Long.toHexString(f16));
            final long bf16 = reduce1(DataType.BFLOAT16, op, 0x3f80L, 0xff81L);
            assertEquals(0x7fc0L, bf16 & 0x7fc0L, "BFLOAT16 " + op + " gave 0x" + Long.toHexString(bf16));
        }
    }

    @Test
    void infinityMinusInfinityIsNaNAndInfinityTimesZeroIsNaN()
    {
        assertTrue(Reference.isNaN(DataType.FLOAT16, reduce1(DataType.FLOAT16, ReduceOp.SUM, 0x7c00L, 0xfc00L)));
        assertTrue(Reference.isNaN(DataType.BFLOAT16, reduce1(DataType.BFLOAT16, ReduceOp.PROD, 0x7f80L, 0x0000L)));
        assertTrue(Float.isNaN(Float.intBitsToFloat((int)reduce1(DataType.FLOAT32, ReduceOp.SUM, 0x7f80_0000L, 0xff80_0000L))));
    }

    @Test
    void subnormalsAddExactly()
    {
        assertEquals(0x0002L, reduce1(DataType.FLOAT16, ReduceOp.SUM, 0x0001L, 0x0001L));
        assertEquals(0x0400L, reduce1(DataType.FLOAT16, ReduceOp.SUM, 0x0200L, 0x0200L)); // into the smallest normal
        assertEquals(0x8003L, reduce1(DataType.FLOAT16, ReduceOp.SUM, 0x8001L, 0x8002L));
        assertEquals(0x0002L, reduce1(DataType.BFLOAT16, ReduceOp.SUM, 0x0001L, 0x0001L));
        assertEquals(2L, reduce1(DataType.FLOAT32, ReduceOp.SUM, 1L, 1L));
        assertEquals(2L, reduce1(DataType.FLOAT64, ReduceOp.SUM, 1L, 1L));
        // the smallest half subnormal squared underflows to +0
        assertEquals(0x0000L, reduce1(DataType.FLOAT16, ReduceOp.PROD, 0x0001L, 0x0001L));
    }

    @Test
    void halfSumsRoundToNearestEven()
    {
        // 2048 + 1 = 2049 is a tie between 2048 (even) and 2050: stays 2048
        assertEquals(Float16.fromFloat(2048f) & 0xffffL, reduce1(DataType.FLOAT16, ReduceOp.SUM,
            Float16.fromFloat(2048f) & 0xffffL, Float16.fromFloat(1f) & 0xffffL));
        // 2050 + 1 = 2051 ties between 2050 (odd mantissa) and 2052 (even): goes to 2052
        assertEquals(Float16.fromFloat(2052f) & 0xffffL, reduce1(DataType.FLOAT16, ReduceOp.SUM,
            Float16.fromFloat(2050f) & 0xffffL, Float16.fromFloat(1f) & 0xffffL));
        // bf16: 256 + 1 ties to 256; 258 + 1 ties to 260
        assertEquals(BFloat16.fromFloat(256f) & 0xffffL, reduce1(DataType.BFLOAT16, ReduceOp.SUM,
            BFloat16.fromFloat(256f) & 0xffffL, BFloat16.fromFloat(1f) & 0xffffL));
        assertEquals(BFloat16.fromFloat(260f) & 0xffffL, reduce1(DataType.BFLOAT16, ReduceOp.SUM,
            BFloat16.fromFloat(258f) & 0xffffL, BFloat16.fromFloat(1f) & 0xffffL));
    }

    @Test
    void overflowGoesToInfinity()
    {
        assertEquals(0x7c00L, reduce1(DataType.FLOAT16, ReduceOp.SUM, 0x7bffL, 0x7bffL));
        assertEquals(0xfc00L, reduce1(DataType.FLOAT16, ReduceOp.SUM, 0xfbffL, 0xfbffL));
        assertEquals(0x7c00L, reduce1(DataType.FLOAT16, ReduceOp.PROD, Float16.fromFloat(300f) & 0xffffL,
            Float16.fromFloat(300f) & 0xffffL));
        // 65504 + 16 = 65520 is exactly the tie between 65504 and 65536: rounds to even, i.e. infinity
        assertEquals(0x7c00L, reduce1(DataType.FLOAT16, ReduceOp.SUM, 0x7bffL, Float16.fromFloat(16f) & 0xffffL));
        // 65504 + 8 rounds back down to 65504
        assertEquals(0x7bffL, reduce1(DataType.FLOAT16, ReduceOp.SUM, 0x7bffL, Float16.fromFloat(8f) & 0xffffL));
        assertEquals(0x7f80L, reduce1(DataType.BFLOAT16, ReduceOp.SUM, 0x7f7fL, 0x7f7fL));
        assertEquals(0xff80L, reduce1(DataType.BFLOAT16, ReduceOp.PROD, 0x7f7fL, 0xff7fL));
        assertEquals(0x7f80_0000L, reduce1(DataType.FLOAT32, ReduceOp.SUM,
            Float.floatToRawIntBits(Float.MAX_VALUE), Float.floatToRawIntBits(Float.MAX_VALUE)));
        assertEquals(Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY), reduce1(DataType.FLOAT64, ReduceOp.PROD,
            Double.doubleToRawLongBits(Double.MAX_VALUE), Double.doubleToRawLongBits(-2.0)));
    }

    // ---------------------------------------------------------------- integers

    @Test
    void integerSumAndProdWrap()
    {
        assertEquals(0x80L, reduce1(DataType.INT8, ReduceOp.SUM, 0x7fL, 1L));
        assertEquals(0x00L, reduce1(DataType.UINT8, ReduceOp.SUM, 0xffL, 1L));
        assertEquals(0x00L, reduce1(DataType.INT8, ReduceOp.PROD, 16L, 16L));
        assertEquals(0x8000_0000L, reduce1(DataType.INT32, ReduceOp.SUM, 0x7fff_ffffL, 1L));
        assertEquals(0x0000_0000L, reduce1(DataType.UINT32, ReduceOp.SUM, 0xffff_ffffL, 1L));
        assertEquals(0x0000_0001L, reduce1(DataType.UINT32, ReduceOp.PROD, 0xffff_ffffL, 0xffff_ffffL));
        assertEquals(Long.MIN_VALUE, reduce1(DataType.INT64, ReduceOp.SUM, Long.MAX_VALUE, 1L));
        assertEquals(0L, reduce1(DataType.UINT64, ReduceOp.SUM, -1L, 1L));
        assertEquals(1L, reduce1(DataType.UINT64, ReduceOp.PROD, -1L, -1L));
        assertEquals(0L, reduce1(DataType.INT64, ReduceOp.PROD, 1L << 32, 1L << 32));
    }

    @Test
    void unsignedTypesCompareUnsignedAtTheExtremes()
    {
        assertEquals(0xffL, reduce1(DataType.UINT8, ReduceOp.MAX, 0xffL, 1L));
        assertEquals(0x01L, reduce1(DataType.UINT8, ReduceOp.MIN, 0xffL, 1L));
        assertEquals(0x80L, reduce1(DataType.UINT8, ReduceOp.MAX, 0x80L, 0x7fL));
        assertEquals(0xffff_ffffL, reduce1(DataType.UINT32, ReduceOp.MAX, 0L, 0xffff_ffffL));
        assertEquals(0x8000_0000L, reduce1(DataType.UINT32, ReduceOp.MAX, 0x7fff_ffffL, 0x8000_0000L));
        assertEquals(0L, reduce1(DataType.UINT32, ReduceOp.MIN, 0xffff_ffffL, 0L));
        assertEquals(-1L, reduce1(DataType.UINT64, ReduceOp.MAX, 1L, -1L));
        assertEquals(Long.MIN_VALUE, reduce1(DataType.UINT64, ReduceOp.MAX, Long.MAX_VALUE, Long.MIN_VALUE));
        assertEquals(Long.MAX_VALUE, reduce1(DataType.UINT64, ReduceOp.MIN, Long.MAX_VALUE, Long.MIN_VALUE));
        // the signed types see the same bits the other way round
        assertEquals(0x01L, reduce1(DataType.INT8, ReduceOp.MAX, 0xffL, 1L));
        assertEquals(0x8000_0000L, reduce1(DataType.INT32, ReduceOp.MIN, 0x7fff_ffffL, 0x8000_0000L));
        assertEquals(Long.MIN_VALUE, reduce1(DataType.INT64, ReduceOp.MIN, Long.MAX_VALUE, Long.MIN_VALUE));
    }

    @Test
    void divideTruncatesSignedAndUnsignedAsTheTypeIs()
    {
        assertEquals(0x7fL, divide1(DataType.UINT8, 0xffL, 2));
        assertEquals(0x00L, divide1(DataType.INT8, 0xffL, 2)); // -1 / 2 truncates to 0
        assertEquals(0xfdL, divide1(DataType.INT8, 0xf9L, 2)); // -7 / 2 = -3
        assertEquals(0x7fff_ffffL, divide1(DataType.UINT32, 0xffff_ffffL, 2));
        assertEquals(0xc000_0000L, divide1(DataType.INT32, 0x8000_0000L, 2));
        assertEquals(0x5555_5555_5555_5555L, divide1(DataType.UINT64, -1L, 3));
        assertEquals(Long.MIN_VALUE >>> 3, divide1(DataType.UINT64, Long.MIN_VALUE, 8));
        assertEquals(-(Long.MAX_VALUE / 3), divide1(DataType.INT64, -Long.MAX_VALUE, 3));
        assertEquals(0L, divide1(DataType.UINT64, 1000L, Integer.MAX_VALUE));
    }

    @Test
    void divideRoundsFloatingPointToTheType()
    {
        assertEquals(Float16.fromFloat(1f / 3f) & 0xffffL, divide1(DataType.FLOAT16, 0x3c00L, 3));
        assertEquals(0x3555L, divide1(DataType.FLOAT16, 0x3c00L, 3)); // 0.33325195
        assertEquals(0x3eabL, divide1(DataType.BFLOAT16, 0x3f80L, 3)); // 0.333984375
        assertEquals(0x0000L, divide1(DataType.FLOAT16, 0x0001L, 2)); // half of the smallest subnormal ties to 0
        assertEquals(0x0002L, divide1(DataType.FLOAT16, 0x0003L, 2)); // 1.5 units ties to the even 2
        assertEquals(Float.floatToRawIntBits(1f / 3f) & 0xffffffffL, divide1(DataType.FLOAT32, Float.floatToRawIntBits(1f), 3));
        assertEquals(Double.doubleToRawLongBits(1.0 / 3.0), divide1(DataType.FLOAT64, Double.doubleToRawLongBits(1.0), 3));
        assertEquals(0x7c00L, divide1(DataType.FLOAT16, 0x7c00L, 7));
        assertTrue(Reference.isNaN(DataType.FLOAT16, divide1(DataType.FLOAT16, 0x7c01L, 7)));
    }

    // ---------------------------------------------------------------- contract edges

    @Test
    void nameIsJavaAndInstanceIsShared()
    {
        assertEquals("java", KERNELS.name());
        assertEquals(JavaReduceKernels.NAME, KERNELS.name());
        assertSame(JavaReduceKernels.INSTANCE, Kernels.java());
    }

    @Test
    void zeroCountTouchesNoMemory()
    {
        for (final DataType type : DataType.values())
        {
            for (final ReduceOp op : ReduceOp.values())
            {
                KERNELS.reduce(type, op, 0L, 0L, 0L);
                KERNELS.reduce(type, op, 0L, 0L, 0L, 0L);
            }
            KERNELS.divide(type, 0L, 0L, 3);
        }
    }

    @Test
    void badArgumentsAreRejectedBeforeTouchingMemory()
    {
        assertThrows(IllegalArgumentException.class, () -> KERNELS.reduce(DataType.INT32, ReduceOp.SUM, 0L, 0L, -1L));
        assertThrows(IllegalArgumentException.class, () -> KERNELS.divide(DataType.INT32, 0L, 1L, 0));
        assertThrows(IllegalArgumentException.class, () -> KERNELS.divide(DataType.FLOAT32, 0L, 1L, -2));
        assertThrows(NullPointerException.class, () -> KERNELS.reduce(null, ReduceOp.SUM, 0L, 0L, 0L));
        assertThrows(NullPointerException.class, () -> KERNELS.reduce(DataType.INT8, null, 0L, 0L, 0L));
    }

    // ---------------------------------------------------------------- helpers

    private static long reduce1(final DataType type, final ReduceOp op, final long a, final long b)
    {
        final OffHeap memA = OffHeap.of(type, new long[] { a }, 1);
        final OffHeap memB = OffHeap.of(type, new long[] { b }, 3);
        KERNELS.reduce(type, op, memA.address, memB.address, 1);
        final long twoAddress = memA.get(0);
        final OffHeap dst = new OffHeap(type, 1, 5);
        final OffHeap memA2 = OffHeap.of(type, new long[] { a }, 1);
        KERNELS.reduce(type, op, dst.address, memA2.address, memB.address, 1);
        assertEquals(twoAddress, dst.get(0), "two- and three-address forms disagree");
        return twoAddress;
    }

    private static long divide1(final DataType type, final long x, final int divisor)
    {
        final OffHeap memory = OffHeap.of(type, new long[] { x }, 1);
        KERNELS.divide(type, memory.address, 1, divisor);
        return memory.get(0);
    }

    private static void assertArrayBits(final DataType type, final long[] expected, final long[] actual, final String what)
    {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++)
        {
            if (!Reference.same(type, expected[i], actual[i]))
            {
                fail(what + ": element " + i + " is 0x" + Long.toHexString(Reference.mask(type, actual[i])) +
                    ", expected 0x" + Long.toHexString(Reference.mask(type, expected[i])));
            }
        }
    }

    /** Mixed data: extremes, small values (so products stay in range), random bits. */
    static long[] values(final DataType type, final int count, final SplittableRandom random)
    {
        final long[] specials = type.isFloatingPoint() ? specials(type) : integerExtremes(type);
        final long[] values = new long[count];
        for (int i = 0; i < count; i++)
        {
            final int kind = random.nextInt(8);
            final long bits;
            if (kind == 0)
            {
                bits = specials[random.nextInt(specials.length)];
            }
            else if (kind < 3)
            {
                bits = random.nextLong();
            }
            else if (type.isFloatingPoint())
            {
                bits = floatBits(type, (random.nextDouble() - 0.5) * 200);
            }
            else
            {
                bits = random.nextInt(-100, 100);
            }
            values[i] = Reference.mask(type, bits);
        }
        return values;
    }

    private static long floatBits(final DataType type, final double value)
    {
        switch (type)
        {
            case FLOAT16:
                return Float16.fromFloat((float)value) & 0xffffL;
            case BFLOAT16:
                return BFloat16.fromFloat((float)value) & 0xffffL;
            case FLOAT32:
                return Float.floatToRawIntBits((float)value) & 0xffffffffL;
            default:
                return Double.doubleToRawLongBits(value);
        }
    }

    private static long[] integerExtremes(final DataType type)
    {
        final int bits = 8 * type.size();
        final long signedMin = bits == 64 ? Long.MIN_VALUE : -(1L << (bits - 1));
        final long signedMax = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        return new long[] {
            0, 1, Reference.mask(type, -1), Reference.mask(type, signedMin), Reference.mask(type, signedMax), 2,
            Reference.mask(type, -2) };
    }

    /** NaNs (quiet and signaling, both signs), ±0, ±inf, subnormals, extremes, ±1. */
    static long[] specials(final DataType type)
    {
        switch (type)
        {
            case FLOAT16:
                return new long[] {
                    0x7e00, 0xfe00, 0x7c01, 0x7d55, 0x0000, 0x8000, 0x7c00, 0xfc00, 0x0001, 0x8001, 0x03ff, 0x0400,
                    0x7bff, 0xfbff, 0x3c00, 0xbc00, 0x3c01, 0x5bff };
            case BFLOAT16:
                return new long[] {
                    0x7fc0, 0xffc0, 0x7f81, 0x0000, 0x8000, 0x7f80, 0xff80, 0x0001, 0x8001, 0x007f, 0x0080,
                    0x7f7f, 0xff7f, 0x3f80, 0xbf80, 0x3f81 };
            case FLOAT32:
            {
                final float[] f = {
                    Float.NaN, Float.intBitsToFloat(0x7f800001), -0f, 0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
                    Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, 1f, -1f, 3e38f };
                final long[] bits = new long[f.length];
                for (int i = 0; i < f.length; i++)
                {
                    bits[i] = Float.floatToRawIntBits(f[i]) & 0xffffffffL;
                }
                return bits;
            }
            default:
            {
                final double[] d = {
                    Double.NaN, Double.longBitsToDouble(0x7ff0000000000001L), -0.0, 0.0, Double.POSITIVE_INFINITY,
                    Double.NEGATIVE_INFINITY, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE,
                    -Double.MAX_VALUE, 1.0, -1.0, 1e308 };
                final long[] bits = new long[d.length];
                for (int i = 0; i < d.length; i++)
                {
                    bits[i] = Double.doubleToRawLongBits(d[i]);
                }
                return bits;
            }
        }
    }
}
