package dev.jccl.bench;

import java.util.ArrayList;
import java.util.List;

/** Parses jccl-perf's (nccl-tests') text output back into numbers, as scripts that read nccl-tests do. */
final class PerfOutput
{
    /** One parsed table line. */
    record Row(long size, long count, String type, String op, int root,
        double time, double algBw, double busBw, String wrong,
        double timeIn, double algBwIn, double busBwIn, String wrongIn)
    {
    }

    final List<String> headerLines = new ArrayList<>();
    final List<Row> rows = new ArrayList<>();
    String outOfBounds;
    String avgBusBw;

    static PerfOutput parse(final String text)
    {
        final PerfOutput p = new PerfOutput();
        for (final String line : text.split("\n"))
        {
            if (line.isBlank())
            {
                continue;
            }
            if (line.startsWith("#"))
            {
                p.headerLines.add(line);
                if (line.startsWith("# Out of bounds values :"))
                {
                    p.outOfBounds = line.substring("# Out of bounds values :".length()).trim();
                }
                else if (line.startsWith("# Avg bus bandwidth    :"))
                {
                    p.avgBusBw = line.substring("# Avg bus bandwidth    :".length()).trim();
                }
                continue;
            }
            final String[] f = line.trim().split("\\s+");
            if (f.length != 13)
            {
                throw new AssertionError("row with " + f.length + " fields: '" + line + "'");
            }
            p.rows.add(new Row(Long.parseLong(f[0]), Long.parseLong(f[1]), f[2], f[3], Integer.parseInt(f[4]),
                Double.parseDouble(f[5]), Double.parseDouble(f[6]), Double.parseDouble(f[7]), f[8],
                Double.parseDouble(f[9]), Double.parseDouble(f[10]), Double.parseDouble(f[11]), f[12]));
        }
        return p;
    }
}
