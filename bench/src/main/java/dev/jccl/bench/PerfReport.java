package dev.jccl.bench;

import java.util.List;

/**
 * What one run of the driver (one variant) produced, as every rank agrees on it.
 *
 * @param rankLines the "#  Rank ..." header lines, rank order.
 */
public record PerfReport(
    String collective, PerfOptions.Variant variant, String transport, int nranks, List<String> rankLines,
    List<PerfRow> rows, long wrong, double avgBusBw)
{
    public boolean ok()
    {
        return wrong == 0;
    }
}
