package dev.jccl.bench;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataPatternTest
{
    private static final int[] RANKS = { 1, 2, 3, 4, 5, 8, 16, 33 };
    private static final int COUNT = 600;

    @Test
    void reductionsAreExactInEveryTypeWhateverTheOrder()
    {
        final Random random = new Random(42);
        for (final DataType t : DataType.values())
        {
            for (final ReduceOp op : ReduceOp.values())
            {
                for (final int n : RANKS)
                {
                    final DataPattern p = new DataPattern(t, op, n, 1);
                    final byte[][] images = images(p, n);
                    final List<int[]> orders = orders(n, random);
                    for (final int[] order : orders)
                    {
                        assertAllMatch(p, Reference.reduce(images, t, op, order), t + " " + op + " n=" + n + " linear order");
                    }
                    assertAllMatch(p, treeReduce(images, t, op), t + " " + op + " n=" + n + " tree order");
                }
            }
        }
    }

    @Test
    void aValueOffByOneIsWrongForEveryTypeAndOp()
    {
        for (final DataType t : DataType.values())
        {
            for (final ReduceOp op : ReduceOp.values())
            {
                final DataPattern p = new DataPattern(t, op, 4, 0);
                for (long j = 0; j < 50; j++)
                {
                    final byte[] good = Reference.reduce(images(p, 4), t, op);
                    final long bits = Elements.getBits(java.nio.ByteBuffer.wrap(good).order(java.nio.ByteOrder.nativeOrder()), t, j);
                    final double v = Elements.decode(t, bits);
                    final long wrong = t.isFloatingPoint() ? Reference.round(t, v + Math.max(1, Math.abs(v) / 8)) : Elements.encode(t, (long)v + 1);
                    assertTrue(p.reducedMatches(bits, j));
                    assertFalse(p.reducedMatches(wrong, j), t + " " + op + " at " + j);
                    assertFalse(p.reducedMatches(Elements.getBits(allOnes(), t, 0), j), "poison passes for " + t + " " + op);
                }
            }
        }
    }

    @Test
    void valuesDependOnRankSeedAndIndex()
    {
        final DataPattern a = new DataPattern(DataType.FLOAT32, null, 4, 0);
        final DataPattern b = new DataPattern(DataType.FLOAT32, null, 4, 1);
        int sameRank = 0;
        int sameSeed = 0;
        for (long j = 0; j < 1000; j++)
        {
            sameRank += a.value(0, j) == a.value(1, j) ? 1 : 0;
            sameSeed += a.value(0, j) == b.value(0, j) ? 1 : 0;
        }
        assertTrue(sameRank < 50, "ranks too alike: " + sameRank);
        assertTrue(sameSeed < 50, "seeds too alike: " + sameSeed);
    }

    @Test
    void productsStayWithinHalfPrecisionRangeAtManyRanks()
    {
        final DataPattern p = new DataPattern(DataType.FLOAT16, ReduceOp.PROD, 64, 0);
        for (long j = 0; j < 100; j++)
        {
            assertTrue(p.reducedValue(j) <= 1 << 15, "product " + p.reducedValue(j));
        }
    }

    @Test
    void integerAverageIsTheTruncatedQuotientOfTheWrappedSum()
    {
        final DataPattern p = new DataPattern(DataType.INT8, ReduceOp.AVG, 8, 0);
        for (long j = 0; j < 100; j++)
        {
            final long expected = (byte)p.reducedValue(j) / 8;
            assertTrue(p.reducedMatches(Elements.encode(DataType.INT8, expected), j));
        }
        assertEquals(127, DataPattern.exactLimit(DataType.INT8));
    }

    private static java.nio.ByteBuffer allOnes()
    {
        final java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8);
        b.putLong(0, -1L);
        return b;
    }

    private static byte[][] images(final DataPattern p, final int n)
    {
        final byte[][] images = new byte[n][];
        for (int r = 0; r < n; r++)
        {
            final java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(COUNT * p.type().size()).order(java.nio.ByteOrder.nativeOrder());
            for (long j = 0; j < COUNT; j++)
            {
                Elements.putBits(b, p.type(), j, p.bits(r, j));
            }
            images[r] = b.array();
        }
        return images;
    }

    private static List<int[]> orders(final int n, final Random random)
    {
        final List<int[]> orders = new ArrayList<>();
        final List<Integer> ranks = new ArrayList<>();
        for (int r = 0; r < n; r++)
        {
            ranks.add(r);
        }
        orders.add(ranks.stream().mapToInt(Integer::intValue).toArray());
        final List<Integer> reversed = new ArrayList<>(ranks);
        Collections.reverse(reversed);
        orders.add(reversed.stream().mapToInt(Integer::intValue).toArray());
        for (int k = 0; k < 3; k++)
        {
            final List<Integer> shuffled = new ArrayList<>(ranks);
            Collections.shuffle(shuffled, random);
            orders.add(shuffled.stream().mapToInt(Integer::intValue).toArray());
        }
        return orders;
    }

    /** Pairwise, as recursive doubling and trees combine. */
    private static byte[] treeReduce(final byte[][] images, final DataType t, final ReduceOp op)
    {
        final ReduceOp combineOp = op == ReduceOp.AVG ? ReduceOp.SUM : op;
        List<byte[]> level = new ArrayList<>(List.of(images));
        while (level.size() > 1)
        {
            final List<byte[]> next = new ArrayList<>();
            for (int i = 0; i + 1 < level.size(); i += 2)
            {
                next.add(Reference.reduce(new byte[][] { level.get(i), level.get(i + 1) }, t, combineOp));
            }
            if (level.size() % 2 == 1)
            {
                next.add(level.get(level.size() - 1));
            }
            level = next;
        }
        final byte[] out = level.get(0).clone();
        if (op == ReduceOp.AVG)
        {
            final java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(out).order(java.nio.ByteOrder.nativeOrder());
            for (long j = 0; j < COUNT; j++)
            {
                Elements.putBits(b, t, j, Reference.divide(t, Elements.getBits(b, t, j), images.length));
            }
        }
        return out;
    }

    private static void assertAllMatch(final DataPattern p, final byte[] result, final String what)
    {
        final java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(result).order(java.nio.ByteOrder.nativeOrder());
        for (long j = 0; j < COUNT; j++)
        {
            final long bits = Elements.getBits(b, p.type(), j);
            if (!p.reducedMatches(bits, j))
            {
                throw new AssertionError(what + ": element " + j + " is " + Elements.decode(p.type(), bits) +
                    ", exact " + p.reducedValue(j));
            }
        }
    }
}
