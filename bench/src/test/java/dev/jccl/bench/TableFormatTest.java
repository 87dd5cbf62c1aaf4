package dev.jccl.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TableFormatTest
{
    @Test
    void columnHeaderIsNcclTestsHeader()
    {
        final List<String> h = TableFormat.columnHeader();
        assertEquals("#       size         count      type   redop    root     time   algbw   busbw #wrong     time   algbw   busbw #wrong",
            h.get(1));
        assertEquals("#        (B)    (elements)                               (us)  (GB/s)  (GB/s)            (us)  (GB/s)  (GB/s)       ",
            h.get(2));
        assertTrue(h.get(0).contains("out-of-place") && h.get(0).contains("in-place"));
    }

    @Test
    void rowIsNcclTestsRow()
    {
        final PerfRow row = new PerfRow("all_reduce", "auto/auto", 2, 8, 2, "float", "sum", -1,
            new PerfRow.Timing(10.56, 0.0, 0.0, 0), new PerfRow.Timing(10.33, 0.0, 0.0, 0));
        assertEquals("           8             2     float     sum      -1    10.56    0.00    0.00      0    10.33    0.00    0.00      0",
            TableFormat.row(row));
    }

    @Test
    void uncheckedRowsSayNotAvailable()
    {
        final PerfRow row = new PerfRow("broadcast", "auto/auto", 2, 1048576, 262144, "float", "none", 0,
            new PerfRow.Timing(250.04, 4.19, 4.19, -1), new PerfRow.Timing(12345.6, 0.08, 0.08, -1));
        assertEquals("     1048576        262144     float    none       0    250.0    4.19    4.19    N/A    12346    0.08    0.08    N/A",
            TableFormat.row(row));
    }

    @Test
    void timeKeepsTwoDecimalsBelow100UsOneBelow10msNoneAbove()
    {
        assertEquals("   5.12", TableFormat.time(5.123));
        assertEquals("  99.99", TableFormat.time(99.991));
        assertEquals("  123.4", TableFormat.time(123.44));
        assertEquals(" 9999.9", TableFormat.time(9999.94));
        assertEquals("  12346", TableFormat.time(12345.6));
    }

    @Test
    void footerFormatsLikeNcclTests()
    {
        assertEquals(List.of("# Out of bounds values : 0 OK", "# Avg bus bandwidth    : 1.23457", "#"), TableFormat.footer(0, 1.234567));
        assertEquals("# Out of bounds values : 3 FAILED", TableFormat.footer(3, 0).get(0));
    }

    @Test
    void averageBandwidthPrintsAsCPercentG()
    {
        assertEquals("0", TableFormat.cg(0));
        assertEquals("0.5", TableFormat.cg(0.5));
        assertEquals("12.3457", TableFormat.cg(12.3456789));
        assertEquals("1.23457e+06", TableFormat.cg(1234567));
        assertEquals("1e-05", TableFormat.cg(0.00001));
    }

    @Test
    void configAndRankLinesFollowNcclTests()
    {
        final PerfOptions o = PerfOptions.parse("all_reduce", "-b", "8", "-e", "128M", "-f", "2");
        assertEquals("# nThread 3 nGpus 1 minBytes 8 maxBytes 134217728 step: 2(factor) warmup iters: 5 iters: 20 agg iters: 1 validation: 1 graph: 0",
            TableFormat.configLine(o, 3));
        assertEquals("#  Rank  0 Group  0 Pid   1234 on       node device  0 [cpu] JCCL-tcp", TableFormat.rankLine(0, 1234, "node", 0, "tcp"));
        assertEquals("#  Rank  1 Group  0 Pid   1234 on       node device  1 [cuda:1] NVIDIA H200 JCCL-nccl",
            TableFormat.rankLine(1, 1234, "node", 1, "cuda:1", "NVIDIA H200", "nccl"));
        assertEquals("#  Rank  1 Group  0 Pid   1234 on       node device  1 [cuda:1] JCCL-nccl",
            TableFormat.rankLine(1, 1234, "node", 1, "cuda:1", "", "nccl"));
    }

    @Test
    void aFullRunParsesBackWithConsistentColumns()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final int code = JcclPerf.run(new String[] { "all_reduce", "-t", "4", "-b", "8", "-e", "64K", "-f", "4", "-n", "3", "-w", "1", "--warmup-ms", "0" },
            new PrintStream(bytes, true, StandardCharsets.UTF_8), System.err, new FakeFactory());
        assertEquals(0, code);
        final PerfOutput out = PerfOutput.parse(bytes.toString(StandardCharsets.UTF_8));
        assertTrue(out.headerLines.get(0).startsWith("# nThread 4 nGpus 1 minBytes 8 maxBytes 65536 step: 4(factor)"));
        assertEquals(4, out.headerLines.stream().filter(l -> l.startsWith("#  Rank ")).count());
        assertTrue(out.headerLines.stream().anyMatch(l -> l.matches("#  Rank  3 Group  0 Pid +\\d+ on +\\S+ device  3 \\[cpu\\] JCCL-fake")));
        assertEquals(List.of(8L, 32L, 128L, 512L, 2048L, 8192L, 32768L), out.rows.stream().map(PerfOutput.Row::size).toList());
        double sum = 0;
        for (final PerfOutput.Row r : out.rows)
        {
            assertEquals(r.size() / 4, r.count());
            assertEquals("float", r.type());
            assertEquals("sum", r.op());
            assertEquals(-1, r.root());
            assertEquals("0", r.wrong());
            assertEquals("0", r.wrongIn());
            assertBandwidth(r.size(), r.time(), r.algBw(), r.busBw(), 1.5);
            assertBandwidth(r.size(), r.timeIn(), r.algBwIn(), r.busBwIn(), 1.5);
            sum += r.busBw() + r.busBwIn();
        }
        assertEquals("0 OK", out.outOfBounds);
        assertEquals(sum / (2 * out.rows.size()), Double.parseDouble(out.avgBusBw), 0.01);
    }

    static void assertBandwidth(final long size, final double timeUs, final double algBw, final double busBw, final double factor)
    {
        assertTrue(timeUs > 0, "time " + timeUs);
        final double expectedAlg = size / (timeUs * 1e3);
        assertEquals(expectedAlg, algBw, 0.006 + 0.02 * expectedAlg, "algbw of " + size + " B in " + timeUs + " us");
        assertEquals(algBw * factor, busBw, 0.006 * (1 + factor) + 0.01 * busBw, "busbw");
    }
}
