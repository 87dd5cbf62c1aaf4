package dev.jccl.bench;

import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FixedColumnsTest
{
    private static String fixed(final double v, final int decimals, final int width)
    {
        return FixedColumns.fixed(new StringBuilder(), v, decimals, width).toString();
    }

    @Test
    void fixedPointPrintsWhatFormatPrintsAwayFromHalves()
    {
        final Random rnd = new Random(7);
        for (int i = 0; i < 20_000; i++)
        {
            // Three decimals and a bit more: never a half at any of the precisions checked.
            final double v = (rnd.nextInt(2_000_000_000) - 100_000_000) / 1000.0 + 0.0003;
            for (int d = 0; d <= 2; d++)
            {
                assertEquals(String.format(Locale.ROOT, "%7." + d + "f", v), fixed(v, d, 7), "value " + v + " with " + d + " decimals");
            }
        }
    }

    @Test
    void edgesOfTheColumns()
    {
        assertEquals("   0.00", fixed(0.0, 2, 7));
        assertEquals("   0.00", fixed(-0.001, 2, 7));
        assertEquals("  -1.50", fixed(-1.5, 2, 7));
        assertEquals("  1.01", fixed(1.0099, 2, 6));
        assertEquals("100.00", fixed(99.996, 2, 6));
        assertEquals("12345678.9", fixed(12345678.94, 1, 3), "wider than the column: printed whole, as %f does");
        assertEquals("    NaN", fixed(Double.NaN, 2, 7));
        assertEquals("Infinity", fixed(Double.POSITIVE_INFINITY, 2, 7));
        assertThrows(IllegalArgumentException.class, () -> fixed(1, 7, 7));
    }

    @Test
    void integersAndTextAlignRight()
    {
        assertEquals("       65536", FixedColumns.integer(new StringBuilder(), 65536, 12).toString());
        assertEquals("    -1", FixedColumns.integer(new StringBuilder(), -1, 6).toString());
        assertEquals("   float", FixedColumns.text(new StringBuilder(), "float", 8).toString());
        assertEquals("x: bfloat16", FixedColumns.text(new StringBuilder("x: "), "bfloat16", 5).toString(), "appends after what is there");
    }
}
