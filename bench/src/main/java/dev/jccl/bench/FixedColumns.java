package dev.jccl.bench;

/**
 * Right-aligned integer and fixed-point columns written straight into a {@link StringBuilder}: what
 * {@code %12d} and {@code %7.2f} print, without {@link java.util.Formatter}. The table rows are
 * printed by rank 0 between timed rows, on the rank's own core; the Formatter's regex parsing and
 * its decimal conversion kept the JIT compiling there during the table (bench/RESULTS.md, "Stalls
 * in the short rows"), where this small loop is compiled once in the warm-up.
 */
final class FixedColumns
{
    private static final long[] POWERS_OF_TEN = { 1, 10, 100, 1000, 10_000, 100_000, 1_000_000 };

    private FixedColumns()
    {
    }

    /** {@code value} right-aligned in {@code width} characters, as {@code %<width>d}. */
    static StringBuilder integer(final StringBuilder sb, final long value, final int width)
    {
        final int start = sb.length();
        sb.append(value);
        return alignRight(sb, start, width);
    }

    /** {@code text} right-aligned in {@code width} characters, as {@code %<width>s}. */
    static StringBuilder text(final StringBuilder sb, final CharSequence text, final int width)
    {
        final int start = sb.length();
        sb.append(text);
        return alignRight(sb, start, width);
    }

    /**
     * {@code value} with {@code decimals} digits after the point (0 to 6), right-aligned in
     * {@code width}, as {@code %<width>.<decimals>f}, halves rounded away from zero. Non-finite
     * values print as Java prints them ("NaN", "Infinity").
     */
    static StringBuilder fixed(final StringBuilder sb, final double value, final int decimals, final int width)
    {
        if (decimals < 0 || decimals >= POWERS_OF_TEN.length)
        {
            throw new IllegalArgumentException("decimals must be 0 to " + (POWERS_OF_TEN.length - 1) + ": " + decimals);
        }
        final int start = sb.length();
        final double magnitude = Math.abs(value);
        final long scale = POWERS_OF_TEN[decimals];
        if (!Double.isFinite(value) || magnitude * scale >= 9.0e18)
        {
            sb.append(value);
            return alignRight(sb, start, width);
        }
        final long scaled = (long)Math.floor(magnitude * scale + 0.5);
        if (value < 0 && scaled != 0)
        {
            sb.append('-');
        }
        sb.append(scaled / scale);
        if (decimals > 0)
        {
            sb.append('.');
            final long fraction = scaled % scale;
            for (long p = scale / 10; p > 0; p /= 10)
            {
                sb.append((char)('0' + fraction / p % 10));
            }
        }
        return alignRight(sb, start, width);
    }

    /** Pads what was appended from {@code start} on with leading spaces to {@code width}. */
    private static StringBuilder alignRight(final StringBuilder sb, final int start, final int width)
    {
        final int pad = width - (sb.length() - start);
        for (int i = 0; i < pad; i++)
        {
            sb.insert(start, ' ');
        }
        return sb;
    }
}
