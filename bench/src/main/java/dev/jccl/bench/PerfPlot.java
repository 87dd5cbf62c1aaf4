package dev.jccl.bench;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * --plot: busbw (top) and algbw (bottom) against size on a log-2 axis, out-of-place, one line per
 * algorithm/transport (and per type, op and root when several were run). JFreeChart renders it.
 */
public final class PerfPlot
{
    private PerfPlot()
    {
    }

    public static void write(final Path file, final List<PerfReport> reports, final int width, final int height) throws IOException
    {
        System.setProperty("java.awt.headless", "true");
        final JFreeChart chart = chart(reports);
        final Path parent = file.toAbsolutePath().getParent();
        if (parent != null)
        {
            Files.createDirectories(parent);
        }
        ChartUtils.saveChartAsPNG(file.toFile(), chart, width, height);
    }

    static JFreeChart chart(final List<PerfReport> reports)
    {
        final boolean manyVariants = new LinkedHashSet<>(reports.stream().map(PerfPlot::variantName).toList()).size() > 1;
        final Set<String> shapes = new LinkedHashSet<>();
        for (final PerfReport rep : reports)
        {
            for (final PerfRow row : rep.rows())
            {
                shapes.add(row.type() + " " + row.op() + " " + row.root());
            }
        }
        final boolean manyShapes = shapes.size() > 1;

        final Map<String, XYSeries> bus = new LinkedHashMap<>();
        final Map<String, XYSeries> alg = new LinkedHashMap<>();
        for (final PerfReport rep : reports)
        {
            for (final PerfRow row : rep.rows())
            {
                if (row.size() <= 0)
                {
                    continue;
                }
                String key = manyVariants || !manyShapes ? variantName(rep) : "";
                if (manyShapes)
                {
                    key = (key.isEmpty() ? "" : key + " ") + row.type() + " " + row.op() + (row.root() >= 0 ? " root " + row.root() : "");
                }
                final String k = key;
                bus.computeIfAbsent(k, x -> new XYSeries(x, true, true)).addOrUpdate(row.size(), row.outOfPlace().busBw());
                alg.computeIfAbsent(k, x -> new XYSeries(x, true, true)).addOrUpdate(row.size(), row.outOfPlace().algBw());
            }
        }
        final LogAxis sizeAxis = new LogAxis("size (bytes, log2)");
        sizeAxis.setBase(2);
        sizeAxis.setNumberFormatOverride(new SizeFormat());
        sizeAxis.setSmallestValue(1);

        final CombinedDomainXYPlot plot = new CombinedDomainXYPlot(sizeAxis);
        plot.setGap(12);
        plot.add(subplot("busbw (GB/s)", bus, true), 1);
        plot.add(subplot("algbw (GB/s)", alg, false), 1);

        final PerfReport first = reports.get(0);
        final String title = "jccl-perf " + first.collective() + ", " + first.nranks() + " ranks" +
            (manyVariants ? "" : ", " + variantName(first)) + " (out-of-place)";
        final JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf) };

    /** Same colour for a series in both subplots; the legend lists each series once. */
    private static XYPlot subplot(final String label, final Map<String, XYSeries> series, final boolean inLegend)
    {
        final XYSeriesCollection data = new XYSeriesCollection();
        series.values().forEach(data::addSeries);
        final NumberAxis y = new NumberAxis(label);
        y.setAutoRangeIncludesZero(true);
        final XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < series.size(); i++)
        {
            renderer.setSeriesStroke(i, new BasicStroke(2.0f));
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            renderer.setSeriesVisibleInLegend(i, inLegend);
        }
        final XYPlot p = new XYPlot(data, null, y, renderer);
        p.setBackgroundPaint(Color.WHITE);
        p.setDomainGridlinePaint(Color.LIGHT_GRAY);
        p.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return p;
    }

    static String variantName(final PerfReport rep)
    {
        return ResultFiles.algo(rep) + " " + rep.transport();
    }

    /** Axis labels as sizes: 8B, 1K, 64K, 1M, 256M. */
    static final class SizeFormat extends NumberFormat
    {
        private static final long serialVersionUID = 1L;

        @Override
        public StringBuffer format(final double number, final StringBuffer toAppendTo, final FieldPosition pos)
        {
            return toAppendTo.append(Sizes.format(Math.round(number)));
        }

        @Override
        public StringBuffer format(final long number, final StringBuffer toAppendTo, final FieldPosition pos)
        {
            return toAppendTo.append(Sizes.format(number));
        }

        @Override
        public Number parse(final String source, final ParsePosition parsePosition)
        {
            return null;
        }
    }
}
