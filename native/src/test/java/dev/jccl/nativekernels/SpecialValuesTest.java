package dev.jccl.nativekernels;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;
import dev.jccl.kernel.JavaReduceKernels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Named cases at every level this CPU runs: each pair is repeated across 37 elements so it goes
 * through the vector body and the padded tail, and checked against the expected bits and the Java kernels.
 */
class SpecialValuesTest
{
    private static final int REPEAT = 37;
    private static final Bits.Region A = new Bits.Region(REPEAT * 8 + 64);
    private static final Bits.Region B = new Bits.Region(REPEAT * 8 + 64);
    private static final Bits.Region D = new Bits.Region(REPEAT * 8 + 64);

    /** op(a, b) by the native kernels at {@code isa}, every copy checked equal; returns the bits. */
    private static long reduce(final Isa isa, final DataType type, final ReduceOp op, final long a, final long b)
    {
        final NativeReduceKernels kernels = NativeMatchesJavaKernelsTest.kernelsOrSkip(isa);
        // +1: unaligned
        for (int i = 0; i < REPEAT; i++)
        {
            Bits.put(type, A.address + 1, i, a);
            Bits.put(type, B.address + 1, i, b);
        }
        kernels.reduce(type, op, D.address + 1, A.address + 1, B.address + 1, REPEAT);
        final long result = Bits.get(type, D.address + 1, 0);
        for (int i = 1; i < REPEAT; i++)
        {
            assertEquals(result, Bits.get(type, D.address + 1, i), "element " + i + " differs from element 0");
        }
        JavaReduceKernels.INSTANCE.reduce(type, op, D.address + 1, A.address + 1, B.address + 1, 1);
        final long java = Bits.get(type, D.address + 1, 0);
        final String difference = Bits.difference(type, java, result);
        assertEquals(null, difference, type + " " + op + "(" + Bits.hex(type, a) + ", " + Bits.hex(type, b) + ") vs Java");
        return result;
    }

    private static void assertBits(final DataType type, final long expected, final long actual)
    {
        assertEquals(Bits.hex(type, expected), Bits.hex(type, actual));
    }

    @ParameterizedTest
    @EnumSource(Isa.class)
    void minAndMaxOrderNegativeZeroBelowPositiveZeroLikeMathMinMax(final Isa isa)
    {
        final long p32 = 0, n32 = 0x80000000L;
        assertBits(DataType.FLOAT32, n32, reduce(isa, DataType.FLOAT32, ReduceOp.MIN, p32, n32));
        assertBits(DataType.FLOAT32, n32, reduce(isa, DataType.FLOAT32, ReduceOp.MIN, n32, p32));
        assertBits(DataType.FLOAT32, p32, reduce(isa, DataType.FLOAT32, ReduceOp.MAX, p32, n32));
        assertBits(DataType.FLOAT32, p32, reduce(isa, DataType.FLOAT32, ReduceOp.MAX, n32, p32));
        final long n64 = Long.MIN_VALUE;
        assertBits(DataType.FLOAT64, n64, reduce(isa, DataType.FLOAT64, ReduceOp.MIN, 0, n64));
        assertBits(DataType.FLOAT64, 0, reduce(isa, DataType.FLOAT64, ReduceOp.MAX, n64, 0));
        assertBits(DataType.FLOAT16, 0x8000, reduce(isa, DataType.FLOAT16, ReduceOp.MIN, 0, 0x8000));
        assertBits(DataType.FLOAT16, 0, reduce(isa, DataType.FLOAT16, ReduceOp.MAX, 0x8000, 0));
        assertBits(DataType.BFLOAT16, 0x8000, reduce(isa, DataType.BFLOAT16, ReduceOp.MIN, 0, 0x8000));
        assertBits(DataType.BFLOAT16, 0, reduce(isa, DataType.BFLOAT16, ReduceOp.MAX, 0x8000, 0));
    }

    @ParameterizedTest
    @EnumSource(Isa.class)
    void nanOnEitherSideOfMinAndMaxWinsAndHalfPrecisionNaNsComeOutQuiet(final Isa isa)
    {
        for (final ReduceOp op : new ReduceOp[] { ReduceOp.MIN, ReduceOp.MAX })
        {
            // the x86 minps/maxps would return the second operand here
            assertBits(DataType.FLOAT32, 0x7fc00001L, reduce(isa, DataType.FLOAT32, op, 0x7fc00001L, 0x3f800000L));
            assertBits(DataType.FLOAT32, 0x7fc00001L, reduce(isa, DataType.FLOAT32, op, 0x3f800000L, 0x7fc00001L));
            assertTrue(Bits.isNaN(DataType.FLOAT64, reduce(isa, DataType.FLOAT64, op, 0x7ff8000000000000L, 0xfff0000000000000L)));
            assertTrue(Bits.isNaN(DataType.FLOAT64, reduce(isa, DataType.FLOAT64, op, 0, 0x7ff0000000000001L)));
            // signalling half NaNs pass through MIN/MAX and must come out quiet, payload kept
            assertBits(DataType.FLOAT16, 0x7e01, reduce(isa, DataType.FLOAT16, op, 0x7c01, 0x3c00));
            assertBits(DataType.FLOAT16, 0xfe01, reduce(isa, DataType.FLOAT16, op, 0x3c00, 0xfc01));
            assertBits(DataType.BFLOAT16, 0x7fc1, reduce(isa, DataType.BFLOAT16, op, 0x7f81, 0x3f80));
            assertBits(DataType.BFLOAT16, 0xffc1, reduce(isa, DataType.BFLOAT16, op, 0xff80, 0xff81));
        }
    }

    @ParameterizedTest
    @EnumSource(Isa.class)
    void arithmeticOnNaNAndInvalidOperationsGiveQuietNaNNeverInfinity(final Isa isa)
    {
        assertTrue(Bits.isNaN(DataType.FLOAT16, reduce(isa, DataType.FLOAT16, ReduceOp.SUM, 0x7c00, 0xfc00)));
        assertTrue(Bits.isNaN(DataType.BFLOAT16, reduce(isa, DataType.BFLOAT16, ReduceOp.PROD, 0x7f80, 0)));
        assertBits(DataType.BFLOAT16, 0x7fc1, reduce(isa, DataType.BFLOAT16, ReduceOp.SUM, 0x7f81, 0x3f80));
        assertBits(DataType.BFLOAT16, 0x7fff, reduce(isa, DataType.BFLOAT16, ReduceOp.SUM, 0x7fff, 0x3f80));
        assertBits(DataType.FLOAT16, 0x7fff, reduce(isa, DataType.FLOAT16, ReduceOp.PROD, 0x7fff, 0x3c00));
        assertTrue(Bits.isNaN(DataType.FLOAT32, reduce(isa, DataType.FLOAT32, ReduceOp.SUM, 0x7f800000L, 0xff800000L)));
    }

    @ParameterizedTest
    @EnumSource(Isa.class)
    void halfPrecisionSumsRoundToNearestEvenAndOverflowToInfinity(final Isa isa)
    {
        // 65504 + 16 = 65520, the midpoint to 65536: ties to even, which is infinity
        assertBits(DataType.FLOAT16, 0x7c00, reduce(isa, DataType.FLOAT16, ReduceOp.SUM, 0x7bff, 0x4c00));
        // 65504 + 8 = 65512 rounds back to 65504
        assertBits(DataType.FLOAT16, 0x7bff, reduce(isa, DataType.FLOAT16, ReduceOp.SUM, 0x7bff, 0x4800));
        assertBits(DataType.FLOAT16, 0xfc00, reduce(isa, DataType.FLOAT16, ReduceOp.SUM, 0xfbff, 0xcc00));
        assertBits(DataType.FLOAT16, 0x7c00, reduce(isa, DataType.FLOAT16, ReduceOp.PROD, 0x7bff, 0x4000));
        assertBits(DataType.BFLOAT16, 0x7f80, reduce(isa, DataType.BFLOAT16, ReduceOp.SUM, 0x7f7f, 0x7f7f));
        assertBits(DataType.BFLOAT16, 0xff80, reduce(isa, DataType.BFLOAT16, ReduceOp.PROD, 0x7f7f, 0xc000));
        // 1 + 2^-8 is the bfloat16 midpoint between 1 and 1 + 2^-7: ties to the even 1
        assertBits(DataType.BFLOAT16, 0x3f80, reduce(isa, DataType.BFLOAT16, ReduceOp.SUM, 0x3f80, 0x3b80));
        // 1 + 3 * 2^-8: midpoint between 1 + 2^-7 (odd) and 1 + 2^-6: ties up to the even one
        assertBits(DataType.BFLOAT16, 0x3f82, reduce(isa, DataType.BFLOAT16, ReduceOp.SUM, 0x3f81, 0x3b80));
        // 1 + 2^-11 is the binary16 midpoint after 1: ties to even 1
        assertBits(DataType.FLOAT16, 0x3c00, reduce(isa, DataType.FLOAT16, ReduceOp.SUM, 0x3c00, 0x1000));
    }

    @ParameterizedTest
    @EnumSource(Isa.class)
    void subnormalsAreKeptNotFlushedToZero(final Isa isa)
    {
        assertBits(DataType.FLOAT32, 2, reduce(isa, DataType.FLOAT32, ReduceOp.SUM, 1, 1));
        assertBits(DataType.FLOAT32, 0x00400000L, reduce(isa, DataType.FLOAT32, ReduceOp.PROD, 0x00800000L, 0x3f000000L));
        assertBits(DataType.FLOAT64, 2, reduce(isa, DataType.FLOAT64, ReduceOp.SUM, 1, 1));
        assertBits(DataType.FLOAT16, 0x0002, reduce(isa, DataType.FLOAT16, ReduceOp.SUM, 0x0001, 0x0001));
        assertBits(DataType.FLOAT16, 0x0400, reduce(isa, DataType.FLOAT16, ReduceOp.SUM, 0x03ff, 0x0001));
        assertBits(DataType.FLOAT16, 0x0001, reduce(isa, DataType.FLOAT16, ReduceOp.PROD, 0x0001, 0x3c00));
        assertBits(DataType.FLOAT16, 0x8000, reduce(isa, DataType.FLOAT16, ReduceOp.PROD, 0x8001, 0x3800)); // 2^-25 ties to even 0
        assertBits(DataType.BFLOAT16, 0x0002, reduce(isa, DataType.BFLOAT16, ReduceOp.SUM, 0x0001, 0x0001));
        assertBits(DataType.BFLOAT16, 0x0001, reduce(isa, DataType.BFLOAT16, ReduceOp.MIN, 0x0001, 0x0002));
    }

    @ParameterizedTest
    @EnumSource(Isa.class)
    void integerSumsAndProductsWrapAround(final Isa isa)
    {
        assertBits(DataType.INT8, 0x80, reduce(isa, DataType.INT8, ReduceOp.SUM, 0x7f, 1));
        assertBits(DataType.UINT8, 0x00, reduce(isa, DataType.UINT8, ReduceOp.SUM, 0xff, 1));
        assertBits(DataType.INT8, 0x00, reduce(isa, DataType.INT8, ReduceOp.PROD, 0x80, 2));
        assertBits(DataType.INT32, 0x80000000L, reduce(isa, DataType.INT32, ReduceOp.SUM, 0x7fffffffL, 1));
        assertBits(DataType.UINT32, 0xfffffffeL, reduce(isa, DataType.UINT32, ReduceOp.PROD, 0xffffffffL, 2));
        assertBits(DataType.INT64, Long.MIN_VALUE, reduce(isa, DataType.INT64, ReduceOp.SUM, Long.MAX_VALUE, 1));
        assertBits(DataType.UINT64, 1, reduce(isa, DataType.UINT64, ReduceOp.PROD, -1, -1));
        assertBits(DataType.INT64, 0x2000000000000000L * 2 * 2 * 2, reduce(isa, DataType.INT64, ReduceOp.PROD, 0x2000000000000000L, 8));
        assertBits(DataType.INT32, 0, reduce(isa, DataType.INT32, ReduceOp.AVG, 0xffffffffL, 1)); // AVG reduces as SUM
    }

    @ParameterizedTest
    @EnumSource(Isa.class)
    void unsignedTypesCompareUnsignedAtTheirExtremes(final Isa isa)
    {
        assertBits(DataType.UINT8, 1, reduce(isa, DataType.UINT8, ReduceOp.MIN, 0xff, 1));
        assertBits(DataType.UINT8, 0xff, reduce(isa, DataType.UINT8, ReduceOp.MAX, 0xff, 0x7f));
        assertBits(DataType.INT8, 0xff, reduce(isa, DataType.INT8, ReduceOp.MIN, 0xff, 1));
        assertBits(DataType.UINT32, 0x7fffffffL, reduce(isa, DataType.UINT32, ReduceOp.MIN, 0x80000000L, 0x7fffffffL));
        assertBits(DataType.UINT32, 0xffffffffL, reduce(isa, DataType.UINT32, ReduceOp.MAX, 0xffffffffL, 0));
        assertBits(DataType.INT32, 0x80000000L, reduce(isa, DataType.INT32, ReduceOp.MIN, 0x80000000L, 0x7fffffffL));
        assertBits(DataType.UINT64, 0, reduce(isa, DataType.UINT64, ReduceOp.MIN, -1, 0));
        assertBits(DataType.UINT64, Long.MIN_VALUE, reduce(isa, DataType.UINT64, ReduceOp.MAX, Long.MIN_VALUE, Long.MAX_VALUE));
        assertBits(DataType.INT64, Long.MAX_VALUE, reduce(isa, DataType.INT64, ReduceOp.MAX, Long.MIN_VALUE, Long.MAX_VALUE));
    }
}
