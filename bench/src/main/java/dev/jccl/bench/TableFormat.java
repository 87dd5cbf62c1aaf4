package dev.jccl.bench;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Locale;

/** nccl-tests' text output, format string for format string (common.cu). */
public final class TableFormat
{
    private TableFormat()
    {
    }

    /** First line: "# nThread 1 nGpus 1 minBytes 8 maxBytes ... graph: 0". */
    public static String configLine(final PerfOptions o, final int nThreads)
    {
        final boolean factor = o.stepFactor() > 1;
        return String.format(Locale.ROOT,
            "# nThread %d nGpus %d minBytes %d maxBytes %d step: %d(%s) warmup iters: %d iters: %d agg iters: %d validation: %d graph: %d",
            nThreads, 1, o.minBytes(), o.maxBytes(), factor ? o.stepFactor() : o.stepBytes(), factor ? "factor" : "bytes",
            o.warmupIters(), o.iters(), 1, o.checkIters(), 0);
    }

    /** "#  Rank  0 Group  0 Pid  12345 on       host device  0 [cpu] JCCL-tcp". */
    public static String rankLine(final int rank, final long pid, final String host, final int device, final String transport)
    {
        return rankLine(rank, pid, host, device, "cpu", "", transport);
    }

    /**
     * A device line with the memory the rank's buffers live in: {@code label} "cpu", or "cuda:0" with
     * the GPU's {@code name} after it, as nccl-tests prints the GPU.
     */
    public static String rankLine(
        final int rank, final long pid, final String host, final int device, final String label, final String name, final String transport)
    {
        return String.format(Locale.ROOT, "#  Rank %2d Group %2d Pid %6d on %10s device %2d [%s]%s JCCL-%s",
            rank, 0, pid, host, device, label, name == null || name.isEmpty() ? "" : " " + name, transport);
    }

    /** The three column-header lines (placements, names, units). */
    public static List<String> columnHeader()
    {
        return List.of(
            String.format(Locale.ROOT, "# %10s  %12s  %8s  %6s  %6s           out-of-place                       in-place          ",
                "", "", "", "", ""),
            String.format(Locale.ROOT, "# %10s  %12s  %8s  %6s  %6s  %7s  %6s  %6s %6s  %7s  %6s  %6s %6s",
                "size", "count", "type", "redop", "root", "time", "algbw", "busbw", "#wrong", "time", "algbw", "busbw", "#wrong"),
            String.format(Locale.ROOT, "# %10s  %12s  %8s  %6s  %6s  %7s  %6s  %6s  %5s  %7s  %6s  %6s  %5s",
                "(B)", "(elements)", "", "", "", "(us)", "(GB/s)", "(GB/s)", "", "(us)", "(GB/s)", "(GB/s)", ""));
    }

    public static String row(final PerfRow r)
    {
        final StringBuilder sb = new StringBuilder(128);
        FixedColumns.integer(sb, r.size(), 12).append("  ");
        FixedColumns.integer(sb, r.count(), 12).append("  ");
        FixedColumns.text(sb, r.type(), 8).append("  ");
        FixedColumns.text(sb, r.op(), 6).append("  ");
        FixedColumns.integer(sb, r.root(), 6);
        timing(sb, r.outOfPlace());
        timing(sb, r.inPlace());
        return sb.toString();
    }

    /** "  %7s  %6.2f  %6.2f  %5s": time, algbw, busbw, #wrong ("N/A" when not checked). */
    private static void timing(final StringBuilder sb, final PerfRow.Timing t)
    {
        sb.append("  ");
        time(sb, t.timeUs()).append("  ");
        FixedColumns.fixed(sb, t.algBw(), 2, 6).append("  ");
        FixedColumns.fixed(sb, t.busBw(), 2, 6).append("  ");
        if (t.wrong() < 0)
        {
            FixedColumns.text(sb, "N/A", 5);
        }
        else
        {
            FixedColumns.integer(sb, t.wrong(), 5);
        }
    }

    /** nccl-tests' time column: 2 decimals below 100 us, 1 below 10 ms, none above. */
    public static String time(final double us)
    {
        return time(new StringBuilder(8), us).toString();
    }

    private static StringBuilder time(final StringBuilder sb, final double us)
    {
        return FixedColumns.fixed(sb, us, us >= 10000.0 ? 0 : us >= 100.0 ? 1 : 2, 7);
    }

    public static List<String> footer(final long wrong, final double avgBusBw)
    {
        return List.of(
            String.format(Locale.ROOT, "# Out of bounds values : %d %s", wrong, wrong == 0 ? "OK" : "FAILED"),
            "# Avg bus bandwidth    : " + cg(avgBusBw),
            "#");
    }

    /** C's %g: six significant digits, trailing zeros dropped. */
    public static String cg(final double v)
    {
        if (Double.isNaN(v) || Double.isInfinite(v))
        {
            return Double.toString(v);
        }
        if (v == 0)
        {
            return "0";
        }
        final BigDecimal rounded = new BigDecimal(v).round(new MathContext(6));
        final int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent < -4 || exponent >= 6)
        {
            final String mantissa = rounded.movePointLeft(exponent).stripTrailingZeros().toPlainString();
            return String.format(Locale.ROOT, "%se%s%02d", mantissa, exponent < 0 ? "-" : "+", Math.abs(exponent));
        }
        return rounded.stripTrailingZeros().toPlainString();
    }
}
