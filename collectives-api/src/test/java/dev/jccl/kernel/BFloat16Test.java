package dev.jccl.kernel;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BFloat16Test
{
    @Test
    void everyNonNaNBFloat16RoundTripsThroughFloatBitForBit()
    {
        for (int h = 0; h < 0x10000; h++)
        {
            final float f = BFloat16.toFloat((short)h);
            assertEquals(h << 16, Float.floatToRawIntBits(f), Integer.toHexString(h));
            final boolean nan = (h & 0x7f80) == 0x7f80 && (h & 0x7f) != 0;
            assertEquals(nan ? h | 0x40 : h, BFloat16.fromFloat(f) & 0xffff, Integer.toHexString(h));
        }
    }

    @Test
    void midpointsBetweenNeighboursTieToEvenAndTheirNeighboursRoundToTheNearer()
    {
        for (int h = 0; h < 0x7f80; h++)
        {
            for (final int sign : new int[] { 0, 0x8000 })
            {
                final int bits = sign | h;
                final float mid = Float.intBitsToFloat((bits << 16) | 0x8000);
                final int even = (h & 1) == 0 ? h : h + 1;
                assertEquals(sign | even, BFloat16.fromFloat(mid) & 0xffff, "tie above 0x" + Integer.toHexString(bits));
                assertEquals(bits, BFloat16.fromFloat(Float.intBitsToFloat((bits << 16) | 0x7fff)) & 0xffff);
                assertEquals(sign | (h + 1), BFloat16.fromFloat(Float.intBitsToFloat((bits << 16) | 0x8001)) & 0xffff);
            }
        }
    }

    @Test
    void randomFloatsRoundToTheNearestBFloat16()
    {
        final SplittableRandom random = new SplittableRandom(17);
        for (int i = 0; i < 2_000_000; i++)
        {
            final float x = Float.intBitsToFloat(random.nextInt());
            if (Float.isNaN(x) || Float.isInfinite(x))
            {
                continue;
            }
            final short h = BFloat16.fromFloat(x);
            final int magnitude = h & 0x7fff;
            if (magnitude == 0x7f80)
            {
                // overflow: only values at or past the midpoint between the largest finite and 2^128
                assertTrue(Math.abs((double)x) >= Math.scalb(1.0, 128) - Math.scalb(1.0, 127 - 8), "overflow for " + x);
                continue;
            }
            final double error = Math.abs((double)x - BFloat16.toFloat(h));
            if (magnitude > 0)
            {
                assertTrue(error <= Math.abs((double)x - BFloat16.toFloat((short)(h - 1))), "nearer below for " + x);
            }
            if (magnitude < 0x7f7f)
            {
                assertTrue(error <= Math.abs((double)x - BFloat16.toFloat((short)(h + 1))), "nearer above for " + x);
            }
        }
    }

    @Test
    void knownValuesAndSignedZeros()
    {
        assertEquals((short)0x3f80, BFloat16.fromFloat(1f));
        assertEquals((short)0xc000, BFloat16.fromFloat(-2f));
        assertEquals((short)0x3eab, BFloat16.fromFloat(1f / 3f));
        assertEquals((short)0x0000, BFloat16.fromFloat(0f));
        assertEquals((short)0x8000, BFloat16.fromFloat(-0f));
        assertEquals((short)0x0001, BFloat16.fromFloat(Float.intBitsToFloat(0x00010000))); // subnormal
        assertEquals((short)0x0000, BFloat16.fromFloat(Float.MIN_VALUE));
        assertEquals((short)0x8000, BFloat16.fromFloat(-Float.MIN_VALUE));
    }

    @Test
    void overflowGoesToInfinity()
    {
        assertEquals(BFloat16.POSITIVE_INFINITY, BFloat16.fromFloat(Float.MAX_VALUE));
        assertEquals(BFloat16.NEGATIVE_INFINITY, BFloat16.fromFloat(-Float.MAX_VALUE));
        assertEquals(BFloat16.MAX_VALUE, BFloat16.fromFloat(Float.intBitsToFloat(0x7f7f7fff)));
        assertEquals(BFloat16.POSITIVE_INFINITY, BFloat16.fromFloat(Float.intBitsToFloat(0x7f7f8000))); // tie to even
        assertEquals(BFloat16.POSITIVE_INFINITY, BFloat16.fromFloat(Float.POSITIVE_INFINITY));
        assertEquals(BFloat16.NEGATIVE_INFINITY, BFloat16.fromFloat(Float.NEGATIVE_INFINITY));
    }

    @Test
    void nanStaysQuietNaNAndNeverBecomesInfinity()
    {
        assertEquals(BFloat16.NaN, BFloat16.fromFloat(Float.NaN));
        assertEquals((short)0x7fc0, BFloat16.fromFloat(Float.intBitsToFloat(0x7f800001)));
        assertEquals((short)0xffc0, BFloat16.fromFloat(Float.intBitsToFloat(0xff80ffff)));
        assertEquals((short)0x7fff, BFloat16.fromFloat(Float.intBitsToFloat(0x7fffffff)));
        assertTrue(Float.isNaN(BFloat16.toFloat((short)0x7f81)));
    }
}
