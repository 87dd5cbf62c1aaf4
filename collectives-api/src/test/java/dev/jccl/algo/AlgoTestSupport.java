package dev.jccl.algo;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;
import dev.jccl.wire.CollectiveKind;
import org.agrona.BufferUtil;
import org.junit.jupiter.params.provider.Arguments;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Shared data, buffers and case lists for the algorithm tests. */
final class AlgoTestSupport
{
    static final int[] SIZES = { 1, 2, 3, 4, 5, 7, 8 };
    static final int[] COUNTS = { 0, 1, 7, 1000, 100_003 };
    /** Bytes before the data, checked untouched afterwards (deliberately not 8-aligned). */
    static final int OFFSET = 12;
    static final int GUARD = 64;
    static final byte GUARD_BYTE = 0x5A;
    static final DataType[] TYPES = { DataType.FLOAT32, DataType.FLOAT64, DataType.INT32, DataType.INT64, DataType.INT8, DataType.UINT8 };
    static final ReduceOp[] OPS = { ReduceOp.SUM, ReduceOp.PROD, ReduceOp.MIN, ReduceOp.MAX };

    private AlgoTestSupport()
    {
    }

    /** (name, size, count) for every name, size and count. */
    static Stream<Arguments> matrix(final String... names)
    {
        final List<Arguments> out = new ArrayList<>();
        for (final String name : names)
        {
            for (final int n : SIZES)
            {
                for (final int count : COUNTS)
                {
                    out.add(Arguments.of(name, n, count));
                }
            }
        }
        return out.stream();
    }

    /** (name, type, op) for every name, type and op. */
    static Stream<Arguments> typesAndOps(final String... names)
    {
        final List<Arguments> out = new ArrayList<>();
        for (final String name : names)
        {
            for (final DataType type : TYPES)
            {
                for (final ReduceOp op : OPS)
                {
                    out.add(Arguments.of(name, type, op));
                }
            }
        }
        return out.stream();
    }

    /** Roots worth trying for {@code n}: first, middle, last. */
    static int[] roots(final int n)
    {
        final Set<Integer> set = new LinkedHashSet<>(List.of(0, n / 2, n - 1));
        return set.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Small pipeline segments for small messages so that many segments are in play. */
    static int segmentFor(final long bytes)
    {
        return bytes <= 8_000 ? 64 : 4096;
    }

    static void header(final CollectiveContext ctx, final long seq, final CollectiveKind kind,
        final DataType type, final ReduceOp op, final int root, final long count)
    {
        ctx.header().collective(7, seq, kind, type, op, root, count);
    }

    /** A direct native-order buffer of guard, {@code bytes} of data and guard, all guard-filled. */
    static ByteBuffer guarded(final int bytes)
    {
        final ByteBuffer b = ByteBuffer.allocateDirect(OFFSET + bytes + GUARD).order(ByteOrder.nativeOrder());
        for (int i = 0; i < b.capacity(); i++)
        {
            b.put(i, GUARD_BYTE);
        }
        return b;
    }

    static void checkGuards(final ByteBuffer b, final int bytes, final String who)
    {
        for (int i = 0; i < OFFSET; i++)
        {
            if (b.get(i) != GUARD_BYTE)
            {
                fail(who + ": wrote before the data at byte " + i);
            }
        }
        for (int i = OFFSET + bytes; i < b.capacity(); i++)
        {
            if (b.get(i) != GUARD_BYTE)
            {
                fail(who + ": wrote after the data at byte " + i);
            }
        }
    }

    /**
     * Input value of element {@code i} on {@code rank}: small integers, so every reduction order
     * gives exactly the same result (no rounding for up to 8 ranks, even for PROD).
     */
    static long value(final ReduceOp op, final int rank, final int i, final int seed)
    {
        final long h = Math.floorMod(rank * 7919L + i * 31L + seed * 104729L + (long)i * i % 97, 1_000_003L);
        if (op == ReduceOp.PROD)
        {
            final long[] choices = { -2, -1, 1, 1, 2 };
            return choices[(int)(h % choices.length)];
        }
        return h % 9 - 4;
    }

    static void fill(final ByteBuffer b, final int offset, final DataType type, final ReduceOp op, final int rank, final int count, final int seed)
    {
        for (int i = 0; i < count; i++)
        {
            put(b, offset + i * type.size(), type, value(op, rank, i, seed));
        }
    }

    static void put(final ByteBuffer b, final int at, final DataType type, final long v)
    {
        switch (type)
        {
            case INT8:
            case UINT8: b.put(at, (byte)v); break;
            case INT32:
            case UINT32: b.putInt(at, (int)v); break;
            case INT64:
            case UINT64: b.putLong(at, v); break;
            case FLOAT32: b.putFloat(at, v); break;
            case FLOAT64: b.putDouble(at, v); break;
            default: throw new IllegalArgumentException(type.toString());
        }
    }

    /** The reduction of every rank's input in rank order, as {@code count} elements at offset 0. */
    static ByteBuffer reference(final DataType type, final ReduceOp op, final int n, final int count, final int seed)
    {
        final int bytes = count * type.size();
        final ByteBuffer ref = ByteBuffer.allocateDirect(Math.max(1, bytes)).order(ByteOrder.nativeOrder());
        final ByteBuffer tmp = ByteBuffer.allocateDirect(Math.max(1, bytes)).order(ByteOrder.nativeOrder());
        fill(ref, 0, type, op, 0, count, seed);
        final TestKernels k = new TestKernels();
        for (int r = 1; r < n; r++)
        {
            fill(tmp, 0, type, op, r, count, seed);
            k.reduce(type, op, BufferUtil.address(ref), BufferUtil.address(tmp), count);
        }
        return ref;
    }

    /** Asserts {@code bytes} bytes of {@code actual} at {@code at} equal {@code expected} at {@code expectedAt}. */
    static void assertBytes(final ByteBuffer expected, final int expectedAt, final ByteBuffer actual, final int at, final int bytes, final String who)
    {
        for (int i = 0; i < bytes; i++)
        {
            if (expected.get(expectedAt + i) != actual.get(at + i))
            {
                assertEquals(expected.get(expectedAt + i), actual.get(at + i), who + ": first difference at byte " + i + " of " + bytes);
            }
        }
    }

    /** Deterministic pattern byte {@code i} of rank {@code r}'s contribution. */
    static byte pattern(final int r, final int i)
    {
        return (byte)(r * 37 + i * 11 + (i >>> 8) + 1);
    }
}
