package dev.jccl.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Byte sizes with nccl-tests' suffixes (K, M, G are powers of 1024) and the size series of -b/-e/-f/-i. */
public final class Sizes
{
    private Sizes()
    {
    }

    /**
     * Parses "8", "64K", "1M", "2G" (case-insensitive, optional trailing "B": "64KB").
     *
     * @throws UsageException when the text is not a non-negative size.
     */
    public static long parse(final String text)
    {
        if (text == null || text.isBlank())
        {
            throw new UsageException("empty size");
        }
        String s = text.trim().toUpperCase(Locale.ROOT);
        if (s.length() > 1 && s.endsWith("B") && !Character.isDigit(s.charAt(s.length() - 2)))
        {
            s = s.substring(0, s.length() - 1);
        }
        long unit = 1;
        final char last = s.charAt(s.length() - 1);
        switch (last)
        {
            case 'K':
                unit = 1L << 10;
                break;
            case 'M':
                unit = 1L << 20;
                break;
            case 'G':
                unit = 1L << 30;
                break;
            case 'T':
                unit = 1L << 40;
                break;
            default:
                break;
        }
        final String digits = unit == 1 ? s : s.substring(0, s.length() - 1);
        final long value;
        try
        {
            value = Long.parseLong(digits);
        }
        catch (final NumberFormatException ex)
        {
            throw new UsageException("not a size: '" + text + "' (use a number with an optional K, M or G suffix)");
        }
        if (value < 0)
        {
            throw new UsageException("size must not be negative: '" + text + "'");
        }
        if (value > Long.MAX_VALUE / unit)
        {
            throw new UsageException("size too large: '" + text + "'");
        }
        return value * unit;
    }

    /** Formats bytes the short way for plots and messages: 8B, 64K, 1M, 3G (exact multiples only). */
    public static String format(final long bytes)
    {
        if (bytes >= (1L << 30) && bytes % (1L << 30) == 0)
        {
            return (bytes >> 30) + "G";
        }
        if (bytes >= (1L << 20) && bytes % (1L << 20) == 0)
        {
            return (bytes >> 20) + "M";
        }
        if (bytes >= (1L << 10) && bytes % (1L << 10) == 0)
        {
            return (bytes >> 10) + "K";
        }
        return bytes + "B";
    }

    /**
     * nccl-tests' loop: from {@code min} to {@code max} inclusive, multiplying by {@code factor}
     * when it is above 1, otherwise adding {@code increment}.
     */
    public static List<Long> series(final long min, final long max, final long factor, final long increment)
    {
        if (min > max)
        {
            throw new UsageException("minimum size " + min + " is above maximum size " + max);
        }
        if (factor <= 1 && increment <= 0)
        {
            throw new UsageException("need a step factor above 1 (-f) or a positive increment (-i)");
        }
        final List<Long> sizes = new ArrayList<>();
        long size = min;
        while (size <= max)
        {
            sizes.add(size);
            final long next;
            if (factor > 1)
            {
                if (size == 0)
                {
                    // nccl-tests would loop forever on 0 * factor; step to the next power instead
                    next = 1;
                }
                else
                {
                    next = size > Long.MAX_VALUE / factor ? Long.MAX_VALUE : size * factor;
                }
            }
            else
            {
                next = size > Long.MAX_VALUE - increment ? Long.MAX_VALUE : size + increment;
            }
            if (next <= size || next == Long.MAX_VALUE)
            {
                break;
            }
            size = next;
        }
        return sizes;
    }
}
