package dev.jccl.nativekernels;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;
import dev.jccl.kernel.JavaReduceKernels;
import org.agrona.UnsafeApi;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The bfloat16 SUM and PROD kernels round in 16-bit words after a half-up add (see BF16NearK in
 * jccl_kernels.inc): every one of the 65536 bit patterns of b against a set of a values (the special
 * values and numbers of every exponent), in place and out of place, against the Java kernels.
 */
class BFloat16RoundingTest
{
    private static final int PATTERNS = 1 << 16;
    private static final int A_VALUES = 48;
    private static final int COUNT = A_VALUES * PATTERNS;
    private static final int OFFSET = 64 + 6; // element-aligned, not vector-aligned

    private static final Bits.Region A = new Bits.Region(COUNT * 2 + 128);
    private static final Bits.Region B = new Bits.Region(COUNT * 2 + 128);
    private static final Bits.Region D = new Bits.Region(COUNT * 2 + 128);
    private static final Bits.Region JAVA = new Bits.Region(COUNT * 2 + 128);

    static Stream<Arguments> everyIsaSumAndProduct()
    {
        final List<Arguments> cases = new ArrayList<>();
        for (final Isa isa : Isa.values())
        {
            for (final ReduceOp op : new ReduceOp[] { ReduceOp.SUM, ReduceOp.PROD })
            {
                for (final boolean inPlace : new boolean[] { false, true })
                {
                    cases.add(Arguments.of(isa, op, inPlace));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} in place: {2}")
    @MethodSource("everyIsaSumAndProduct")
    void everyBPatternAgainstSpecialsAndEveryExponentMatchesTheJavaKernels(final Isa isa, final ReduceOp op, final boolean inPlace)
    {
        final NativeReduceKernels kernels = NativeMatchesJavaKernelsTest.kernelsOrSkip(isa);
        final long a = A.address + OFFSET;
        final long b = B.address + OFFSET + 2;
        final long d = inPlace ? a : D.address + OFFSET + 4;
        final short[] values = fillA(a);
        for (int i = 0; i < COUNT; i++)
        {
            UnsafeApi.putShort(null, b + 2L * i, (short)i); // every pattern once per a value
        }
        JavaReduceKernels.INSTANCE.reduce(DataType.BFLOAT16, op, JAVA.address, a, b, COUNT);
        kernels.reduce(DataType.BFLOAT16, op, d, a, b, COUNT);
        for (int i = 0; i < COUNT; i++)
        {
            final long expected = UnsafeApi.getShort(null, JAVA.address + 2L * i) & 0xffff;
            final long actual = UnsafeApi.getShort(null, d + 2L * i) & 0xffff;
            final String difference = Bits.difference(DataType.BFLOAT16, expected, actual);
            if (difference != null)
            {
                fail(kernels + " " + op + " a=" + Bits.hex(DataType.BFLOAT16, values[i / PATTERNS] & 0xffff)
                    + " b=" + Bits.hex(DataType.BFLOAT16, i & 0xffff) + ": " + difference);
            }
        }
    }

    /** A_VALUES runs of PATTERNS elements, each run one value: the specials, then one number per exponent step. */
    private static short[] fillA(final long a)
    {
        final short[] values = new short[A_VALUES];
        final long[] specials = Bits.specials(DataType.BFLOAT16);
        final SplittableRandom random = new SplittableRandom(16);
        for (int v = 0; v < A_VALUES; v++)
        {
            final int exponentStep = (v - specials.length) * 255 / (A_VALUES - specials.length);
            final short value = v < specials.length
                ? (short)specials[v]
                : (short)((random.nextInt(2) << 15) | (exponentStep << 7) | random.nextInt(128));
            values[v] = value;
            for (int i = 0; i < PATTERNS; i++)
            {
                UnsafeApi.putShort(null, a + 2L * (v * PATTERNS + i), value);
            }
        }
        return values;
    }
}
