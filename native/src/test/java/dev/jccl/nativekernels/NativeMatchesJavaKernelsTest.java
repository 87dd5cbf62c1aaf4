package dev.jccl.nativekernels;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;
import dev.jccl.kernel.JavaReduceKernels;
import dev.jccl.kernel.ReduceKernels;
import org.agrona.UnsafeApi;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every (type, op) at every instruction-set level this CPU runs, against {@link JavaReduceKernels}
 * bit for bit, at the sizes where vector bodies and tails meet, at unaligned addresses and in place.
 */
class NativeMatchesJavaKernelsTest
{
    static final int[] SIZES = { 0, 1, 7, 8, 15, 16, 31, 33, 1000, 1_000_003 };
    static final int LARGEST = 1_000_003;
    private static final int SLACK = 64;

    /** Where the operands and the result sit. */
    enum Form
    {
        /** dst, a, b distinct, 64-byte aligned. */
        DISTINCT,
        /** dst, a, b distinct, element-aligned but not 16-byte aligned (the kernels align their stores first). */
        DISTINCT_ELEMENT_ALIGNED,
        /** dst, a, b distinct, none aligned to its element size. */
        DISTINCT_UNALIGNED,
        /** {@code reduce(dst, src)}: dst is a, unaligned. */
        IN_PLACE,
        /** {@code reduce(dst, a, b)} with dst the same address as b, element-aligned but not 16-byte aligned. */
        DST_IS_B
    }

    // operands for the native run, copies for the Java run, and the separate destinations
    private static final Bits.Region A = region();
    private static final Bits.Region B = region();
    private static final Bits.Region D = region();
    private static final Bits.Region A2 = region();
    private static final Bits.Region B2 = region();
    private static final Bits.Region D2 = region();

    private static Bits.Region region()
    {
        return new Bits.Region(LARGEST * 8 + 2 * SLACK);
    }

    static Stream<Arguments> everyIsaTypeAndOp()
    {
        final List<Arguments> cases = new ArrayList<>();
        for (final Isa isa : Isa.values())
        {
            for (final DataType type : DataType.values())
            {
                for (final ReduceOp op : ReduceOp.values())
                {
                    cases.add(Arguments.of(isa, type, op));
                }
            }
        }
        return cases.stream();
    }

    static NativeReduceKernels kernelsOrSkip(final Isa isa)
    {
        final Isa cpu = NativeReduceKernels.cpuIsa();
        assumeTrue(isa.compareTo(cpu) <= 0, "this CPU runs " + cpu + " at most, not " + isa);
        return NativeReduceKernels.alwaysNative(isa);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("everyIsaTypeAndOp")
    void reduceIsBitIdenticalToTheJavaKernelsAtEverySizeAndAddressForm(final Isa isa, final DataType type, final ReduceOp op)
    {
        final NativeReduceKernels kernels = kernelsOrSkip(isa);
        for (final int size : SIZES)
        {
            for (final Form form : Form.values())
            {
                if (size == LARGEST && (form == Form.DISTINCT || form == Form.DST_IS_B))
                {
                    continue; // the largest size out of place (element-aligned, unaligned) and in place
                }
                final long seed = ((long)type.ordinal() << 40) ^ ((long)op.ordinal() << 32) ^ ((long)form.ordinal() << 28) ^ size;
                checkReduce(kernels, type, op, size, form, new SplittableRandom(seed));
            }
        }
    }

    static void checkReduce(
        final ReduceKernels kernels, final DataType type, final ReduceOp op, final int count, final Form form, final SplittableRandom random)
    {
        final int oa;
        final int ob;
        final int od;
        switch (form)
        {
            case DISTINCT:
                oa = SLACK;
                ob = SLACK;
                od = SLACK;
                break;
            case DISTINCT_ELEMENT_ALIGNED:
                oa = SLACK + 8;
                ob = SLACK + 24;
                od = SLACK + 40;
                break;
            case DISTINCT_UNALIGNED:
                oa = SLACK + 1;
                ob = SLACK + 3;
                od = SLACK + 5;
                break;
            case IN_PLACE:
                oa = SLACK + 3;
                ob = SLACK + 6;
                od = oa;
                break;
            default:
                oa = SLACK + 2;
                ob = SLACK + 8;
                od = ob;
                break;
        }
        final long bytes = (long)count * type.size();
        Bits.fill(type, A.address + oa, count, random);
        Bits.fill(type, B.address + ob, count, random);
        Bits.fill(type, D.address + od, count, random); // garbage that must be overwritten
        UnsafeApi.copyMemory(A.address + oa, A2.address + oa, bytes);
        UnsafeApi.copyMemory(B.address + ob, B2.address + ob, bytes);
        UnsafeApi.copyMemory(D.address + od, D2.address + od, bytes);

        final long resultNative;
        final long resultJava;
        final long inputA = form == Form.IN_PLACE ? 0 : copyOf(type, A2.address + oa, count);
        switch (form)
        {
            case IN_PLACE:
                resultNative = A.address + oa;
                resultJava = A2.address + oa;
                guard(resultNative, bytes);
                kernels.reduce(type, op, A.address + oa, B.address + ob, count);
                JavaReduceKernels.INSTANCE.reduce(type, op, A2.address + oa, B2.address + ob, count);
                break;
            case DST_IS_B:
                resultNative = B.address + ob;
                resultJava = B2.address + ob;
                guard(resultNative, bytes);
                kernels.reduce(type, op, B.address + ob, A.address + oa, B.address + ob, count);
                JavaReduceKernels.INSTANCE.reduce(type, op, B2.address + ob, A2.address + oa, B2.address + ob, count);
                break;
            default:
                resultNative = D.address + od;
                resultJava = D2.address + od;
                guard(resultNative, bytes);
                kernels.reduce(type, op, D.address + od, A.address + oa, B.address + ob, count);
                JavaReduceKernels.INSTANCE.reduce(type, op, D2.address + od, A2.address + oa, B2.address + ob, count);
                break;
        }
        checkGuard(resultNative, bytes, kernels + " " + type + " " + op + " count=" + count + " " + form);
        for (long i = 0; i < count; i++)
        {
            final long expected = Bits.get(type, resultJava, i);
            final long actual = Bits.get(type, resultNative, i);
            final String difference = Bits.difference(type, expected, actual);
            if (difference != null)
            {
                fail(kernels + " " + type + " " + op + " count=" + count + " " + form + " element " + i + ": " + difference
                    + (form == Form.IN_PLACE ? "" : " (a=" + Bits.hex(type, Bits.get(type, inputA, i)) + ")"));
            }
        }
    }

    private static final Bits.Region COPY = region();

    private static long copyOf(final DataType type, final long address, final int count)
    {
        UnsafeApi.copyMemory(address, COPY.address, (long)count * type.size());
        return COPY.address;
    }

    /** Marks the 16 bytes either side of [address, address + bytes). */
    static void guard(final long address, final long bytes)
    {
        for (int i = 1; i <= 16; i++)
        {
            UnsafeApi.putByte(null, address - i, (byte)0x5a);
            UnsafeApi.putByte(null, address + bytes + i - 1, (byte)0xa5);
        }
    }

    static void checkGuard(final long address, final long bytes, final String what)
    {
        for (int i = 1; i <= 16; i++)
        {
            if (UnsafeApi.getByte(null, address - i) != (byte)0x5a || UnsafeApi.getByte(null, address + bytes + i - 1) != (byte)0xa5)
            {
                fail(what + ": wrote outside the destination");
            }
        }
    }

    static Stream<Arguments> everyIsaAndType()
    {
        final List<Arguments> cases = new ArrayList<>();
        for (final Isa isa : Isa.values())
        {
            for (final DataType type : DataType.values())
            {
                cases.add(Arguments.of(isa, type));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyIsaAndType")
    void divideIsBitIdenticalToTheJavaKernelsForEveryDivisor(final Isa isa, final DataType type)
    {
        final NativeReduceKernels kernels = kernelsOrSkip(isa);
        final int[] divisors = { 1, 2, 3, 7, 10, 255, 256, 1000, 65537, 16_777_217, Integer.MAX_VALUE };
        for (final int size : SIZES)
        {
            for (int d = 0; d < divisors.length; d++)
            {
                final int divisor = divisors[d];
                if (size == LARGEST && divisor != 3 && divisor != 16_777_217)
                {
                    continue;
                }
                final SplittableRandom random = new SplittableRandom(type.ordinal() * 31L + size * 7L + divisor);
                final int offset = SLACK + new int[] { 1, 2, 3, 4, 8, 24 }[d % 6]; // unaligned and element-aligned
                final long bytes = (long)size * type.size();
                Bits.fill(type, A.address + offset, size, random);
                UnsafeApi.copyMemory(A.address + offset, A2.address + offset, bytes);
                guard(A.address + offset, bytes);
                kernels.divide(type, A.address + offset, size, divisor);
                JavaReduceKernels.INSTANCE.divide(type, A2.address + offset, size, divisor);
                checkGuard(A.address + offset, bytes, kernels + " divide " + type + " count=" + size);
                for (long i = 0; i < size; i++)
                {
                    final long expected = Bits.get(type, A2.address + offset, i);
                    final long actual = Bits.get(type, A.address + offset, i);
                    final String difference = Bits.difference(type, expected, actual);
                    if (difference != null)
                    {
                        fail(kernels + " divide " + type + " by " + divisor + " count=" + size + " element " + i + ": " + difference);
                    }
                }
            }
        }
    }
}
