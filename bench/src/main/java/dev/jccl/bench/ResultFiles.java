package dev.jccl.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** --json and --csv: every row of every variant, with the options that produced them. */
public final class ResultFiles
{
    public static final String CSV_HEADER =
        "collective,algo,transport,nranks,size,count,type,redop,root,placement,time_us,algbw_gbs,busbw_gbs,wrong";

    private ResultFiles()
    {
    }

    /** The variant's algorithm as run: its name, or "auto" for the library's choice. */
    static String algo(final PerfReport r)
    {
        return r.variant().algo() == null ? "auto" : r.variant().algo();
    }

    public static String csv(final List<PerfReport> reports)
    {
        final StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
        for (final PerfReport rep : reports)
        {
            for (final PerfRow row : rep.rows())
            {
                csvLine(sb, rep, row, "out-of-place", row.outOfPlace());
                csvLine(sb, rep, row, "in-place", row.inPlace());
            }
        }
        return sb.toString();
    }

    private static void csvLine(final StringBuilder sb, final PerfReport rep, final PerfRow row, final String placement,
        final PerfRow.Timing t)
    {
        sb.append(row.collective()).append(',').append(csvField(algo(rep))).append(',').append(rep.transport()).append(',')
            .append(rep.nranks()).append(',').append(row.size()).append(',').append(row.count()).append(',')
            .append(row.type()).append(',').append(row.op()).append(',').append(row.root()).append(',').append(placement)
            .append(',').append(num(t.timeUs())).append(',').append(num(t.algBw())).append(',').append(num(t.busBw()))
            .append(',').append(t.wrong() < 0 ? "" : Long.toString(t.wrong())).append('\n');
    }

    private static String csvField(final String s)
    {
        return s.contains(",") || s.contains("\"") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }

    public static String json(final PerfOptions o, final List<String> args, final List<PerfReport> reports)
    {
        final StringBuilder sb = new StringBuilder();
        sb.append("{\n  \"tool\": \"jccl-perf\",\n");
        sb.append("  \"collective\": ").append(str(o.collective())).append(",\n");
        sb.append("  \"args\": [");
        for (int i = 0; i < args.size(); i++)
        {
            sb.append(i == 0 ? "" : ", ").append(str(args.get(i)));
        }
        sb.append("],\n");
        sb.append("  \"options\": {\"minBytes\": ").append(o.minBytes()).append(", \"maxBytes\": ").append(o.maxBytes())
            .append(", \"stepFactor\": ").append(o.stepFactor()).append(", \"stepBytes\": ").append(o.stepBytes())
            .append(", \"iters\": ").append(o.iters()).append(", \"warmupIters\": ").append(o.warmupIters()).append(", \"warmupMs\": ").append(o.warmupMillis())
            .append(", \"checkIters\": ").append(o.checkIters()).append(", \"aggregation\": ")
            .append(str(o.aggregation().name().toLowerCase(Locale.ROOT))).append(", \"memory\": ").append(str(o.memory()))
            .append(", \"threads\": ").append(o.threads()).append("},\n");
        sb.append("  \"runs\": [");
        for (int i = 0; i < reports.size(); i++)
        {
            final PerfReport rep = reports.get(i);
            sb.append(i == 0 ? "\n" : ",\n");
            sb.append("    {\"algo\": ").append(str(algo(rep))).append(", \"transport\": ").append(str(rep.transport()))
                .append(", \"nranks\": ").append(rep.nranks()).append(", \"wrong\": ").append(rep.wrong())
                .append(", \"avgBusBw\": ").append(num(rep.avgBusBw())).append(",\n     \"rows\": [");
            for (int j = 0; j < rep.rows().size(); j++)
            {
                final PerfRow row = rep.rows().get(j);
                sb.append(j == 0 ? "\n" : ",\n");
                sb.append("       {\"size\": ").append(row.size()).append(", \"count\": ").append(row.count())
                    .append(", \"type\": ").append(str(row.type())).append(", \"redop\": ").append(str(row.op()))
                    .append(", \"root\": ").append(row.root())
                    .append(", \"outOfPlace\": ").append(timing(row.outOfPlace()))
                    .append(", \"inPlace\": ").append(timing(row.inPlace())).append('}');
            }
            sb.append("]}");
        }
        sb.append("\n  ]\n}\n");
        return sb.toString();
    }

    private static String timing(final PerfRow.Timing t)
    {
        return "{\"timeUs\": " + num(t.timeUs()) + ", \"algBw\": " + num(t.algBw()) + ", \"busBw\": " + num(t.busBw()) +
            ", \"wrong\": " + (t.wrong() < 0 ? "null" : Long.toString(t.wrong())) + "}";
    }

    private static String num(final double v)
    {
        if (Double.isNaN(v) || Double.isInfinite(v))
        {
            return "null";
        }
        return String.format(Locale.ROOT, "%.6g", v).replaceFirst("(\\.\\d*?)0+(e|$)", "$1$2").replaceFirst("\\.(e|$)", "$1");
    }

    static String str(final String s)
    {
        if (s == null)
        {
            return "null";
        }
        final StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            switch (c)
            {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int)c));
                    }
                    else
                    {
                        sb.append(c);
                    }
            }
        }
        return sb.append('"').toString();
    }

    public static void write(final Path path, final String text) throws IOException
    {
        final Path parent = path.toAbsolutePath().getParent();
        if (parent != null)
        {
            Files.createDirectories(parent);
        }
        Files.writeString(path, text, StandardCharsets.UTF_8);
    }
}
