package dev.jccl.kernel;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class Float16Test
{
    @Test
    void toFloatMatchesTheBinary16FormulaForAll65536Patterns()
    {
        for (int h = 0; h < 0x10000; h++)
        {
            final int sign = h >>> 15;
            final int exp = (h >>> 10) & 0x1f;
            final int mantissa = h & 0x3ff;
            final float actual = Float16.toFloat((short)h);
            if (exp == 0x1f)
            {
                if (mantissa == 0)
                {
                    assertEquals(sign == 0 ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY, actual);
                }
                else
                {
                    assertTrue(Float.isNaN(actual), Integer.toHexString(h));
                }
                continue;
            }
            final double magnitude = exp == 0
                ? Math.scalb((double)mantissa, -24)
                : Math.scalb(1.0 + mantissa / 1024.0, exp - 15);
            final double expected = sign == 0 ? magnitude : -magnitude;
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual), Integer.toHexString(h));
        }
    }

    @Test
    void everyNonNaNHalfRoundTripsThroughFloatBitForBit()
    {
        for (int h = 0; h < 0x10000; h++)
        {
            final boolean nan = (h & 0x7c00) == 0x7c00 && (h & 0x3ff) != 0;
            final short back = Float16.fromFloat(Float16.toFloat((short)h));
            if (nan)
            {
                // the sign and payload survive, the NaN becomes quiet
                assertEquals(h | 0x0200, back & 0xffff, Integer.toHexString(h));
            }
            else
            {
                assertEquals(h, back & 0xffff, Integer.toHexString(h));
            }
        }
    }

    @Test
    void midpointsBetweenNeighboursTieToEvenAndTheirNeighboursRoundToTheNearer()
    {
        // every pair of neighbouring finite halves, and the last finite one against infinity
        for (int h = 0; h < 0x7c00; h++)
        {
            final float low = Float16.toFloat((short)h);
            final float high = Float16.toFloat((short)(h + 1));
            final float mid = (float)(((double)low + (h + 1 == 0x7c00 ? 65536.0 : high)) / 2); // exact in float
            final int even = (h & 1) == 0 ? h : h + 1;
            assertEquals(even, Float16.fromFloat(mid), "tie above 0x" + Integer.toHexString(h));
            assertEquals(h, Float16.fromFloat(Math.nextDown(mid)), "just below the tie above 0x" + Integer.toHexString(h));
            assertEquals(h + 1, Float16.fromFloat(Math.nextUp(mid)), "just above the tie above 0x" + Integer.toHexString(h));
            // negative values mirror positive ones
            assertEquals(even | 0x8000, Float16.fromFloat(-mid) & 0xffff);
            assertEquals(h | 0x8000, Float16.fromFloat(-Math.nextDown(mid)) & 0xffff);
        }
    }

    @Test
    void randomFloatsRoundToTheNearestHalf()
    {
        final SplittableRandom random = new SplittableRandom(16);
        for (int i = 0; i < 2_000_000; i++)
        {
            final float x = Float.intBitsToFloat(random.nextInt());
            final short h = Float16.fromFloat(x);
            if (Float.isNaN(x))
            {
                assertTrue((h & 0x7e00) == 0x7e00, "NaN must stay a quiet NaN: " + Float.floatToRawIntBits(x));
                continue;
            }
            if (Math.abs(x) >= 65520f)
            {
                assertEquals(x > 0 ? Float16.POSITIVE_INFINITY : Float16.NEGATIVE_INFINITY, h);
                continue;
            }
            assertEquals(x < 0 || (x == 0 && 1 / x < 0), h < 0, "sign of " + x);
            final double error = Math.abs((double)x - Float16.toFloat(h));
            final int magnitude = h & 0x7fff;
            if (magnitude > 0)
            {
                assertTrue(error <= Math.abs((double)x - Float16.toFloat((short)(h - 1))), "nearer below for " + x);
            }
            if (magnitude < 0x7bff)
            {
                assertTrue(error <= Math.abs((double)x - Float16.toFloat((short)(h + 1))), "nearer above for " + x);
            }
        }
    }

    @Test
    void knownValues()
    {
        assertEquals((short)0x3c00, Float16.fromFloat(1f));
        assertEquals((short)0xc000, Float16.fromFloat(-2f));
        assertEquals((short)0x3555, Float16.fromFloat(1f / 3f));
        assertEquals((short)0x0000, Float16.fromFloat(0f));
        assertEquals((short)0x8000, Float16.fromFloat(-0f));
        assertEquals(Float16.MAX_VALUE, Float16.fromFloat(65504f));
        assertEquals((short)0x0400, Float16.fromFloat(0x1p-14f)); // smallest normal
        assertEquals((short)0x0001, Float16.fromFloat(0x1p-24f)); // smallest subnormal
        assertEquals((short)0x03ff, Float16.fromFloat(0x3ffp-24f)); // largest subnormal
        assertEquals(1f, Float16.toFloat((short)0x3c00));
        assertEquals(65504f, Float16.toFloat(Float16.MAX_VALUE));
    }

    @Test
    void overflowGoesToInfinityAtAndAbove65520()
    {
        assertEquals(Float16.MAX_VALUE, Float16.fromFloat(Math.nextDown(65520f)));
        assertEquals(Float16.POSITIVE_INFINITY, Float16.fromFloat(65520f));
        assertEquals(Float16.NEGATIVE_INFINITY, Float16.fromFloat(-65520f));
        assertEquals(Float16.POSITIVE_INFINITY, Float16.fromFloat(1e10f));
        assertEquals(Float16.POSITIVE_INFINITY, Float16.fromFloat(Float.MAX_VALUE));
        assertEquals(Float16.POSITIVE_INFINITY, Float16.fromFloat(Float.POSITIVE_INFINITY));
        assertEquals(Float16.NEGATIVE_INFINITY, Float16.fromFloat(Float.NEGATIVE_INFINITY));
        assertEquals(Float.POSITIVE_INFINITY, Float16.toFloat(Float16.POSITIVE_INFINITY));
        assertEquals(Float.NEGATIVE_INFINITY, Float16.toFloat(Float16.NEGATIVE_INFINITY));
    }

    @Test
    void tinyValuesUnderflowToSignedZeroWithTiesToEven()
    {
        assertEquals((short)0x0000, Float16.fromFloat(0x1p-25f)); // half the smallest subnormal: tie to 0
        assertEquals((short)0x0001, Float16.fromFloat(Math.nextUp(0x1p-25f)));
        assertEquals((short)0x0000, Float16.fromFloat(Float.MIN_VALUE));
        assertEquals((short)0x8000, Float16.fromFloat(-Float.MIN_VALUE));
        assertEquals((short)0x8000, Float16.fromFloat(-0x1p-25f));
        assertEquals((short)0x0002, Float16.fromFloat(0x3p-25f)); // 1.5 units: tie to 2
        assertEquals((short)0x0002, Float16.fromFloat(0x5p-25f)); // 2.5 units: tie to 2
        assertEquals((short)0x0400, Float16.fromFloat(0x7ffp-25f)); // 1023.5 units: rounds up into the normals
    }

    @Test
    void nanStaysQuietNaNAndNeverBecomesInfinity()
    {
        assertEquals(Float16.NaN, Float16.fromFloat(Float.NaN));
        // payloads only in bits that binary16 drops: must not collapse to infinity
        assertEquals((short)0x7e00, Float16.fromFloat(Float.intBitsToFloat(0x7f800001)));
        assertEquals((short)0xfe00, Float16.fromFloat(Float.intBitsToFloat(0xff800001)));
        assertEquals((short)0x7fff, Float16.fromFloat(Float.intBitsToFloat(0x7fffffff)));
        assertTrue(Float.isNaN(Float16.toFloat((short)0x7c01)));
        assertTrue(Float.isNaN(Float16.toFloat((short)0xfe00)));
    }

    @Test
    void allFloatNaNPatternsAtTheHalfPayloadBoundaryStayNaN()
    {
        for (int payload = 1; payload < (1 << 23); payload += 4099)
        {
            for (final int sign : new int[] { 0, 0x80000000 })
            {
                final short h = Float16.fromFloat(Float.intBitsToFloat(sign | 0x7f800000 | payload));
                assertEquals(0x7e00, h & 0x7e00, Integer.toHexString(payload));
                if ((h & 0x8000) != (sign >>> 16))
                {
                    fail("sign lost for payload " + Integer.toHexString(payload));
                }
            }
        }
    }
}
