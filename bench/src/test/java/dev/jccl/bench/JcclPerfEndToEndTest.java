package dev.jccl.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** jccl-perf over the real library: 3 ranks as threads over loopback TCP, small sizes, every collective. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class JcclPerfEndToEndTest
{
    private static PerfDriverTest.Run run(final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int code = JcclPerf.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), new JcclCommFactory());
        return new PerfDriverTest.Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String[] small(final String coll, final String... more)
    {
        final List<String> a = new ArrayList<>(List.of(coll, "-t", "3", "-b", "8", "-e", "4K", "-f", "8", "-n", "2", "-w", "1", "--warmup-ms", "0", "-T", "60"));
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    @Test
    void allReduceOverThreeThreadRanksChecksOutRight()
    {
        final PerfDriverTest.Run r = run(small("all_reduce", "-d", "float,half,bfloat16,int32", "-o", "sum,prod,max,avg"));
        assertEquals(0, r.code(), r.stdout() + r.stderr());
        final PerfOutput out = r.out();
        assertEquals(3, out.headerLines.stream().filter(l -> l.startsWith("#  Rank ") && l.endsWith("[cpu] JCCL-shm")).count(), r.stdout());
        // 4 types x 4 ops x sizes 8, 64, 512, 4096
        assertEquals(4 * 4 * 4, out.rows.size());
        for (final PerfOutput.Row row : out.rows)
        {
            assertEquals("0", row.wrong());
            assertEquals("0", row.wrongIn());
            TableFormatTest.assertBandwidth(row.size(), row.time(), row.algBw(), row.busBw(), 2.0 * 2 / 3);
        }
        assertEquals("0 OK", out.outOfBounds);
    }

    @Test
    void everyCollectiveChecksOutRight()
    {
        for (final String coll : List.of("all_gather", "broadcast", "reduce_scatter", "reduce", "barrier"))
        {
            final PerfDriverTest.Run r = run(small(coll, "-d", "float,int8", "-o", "sum,min"));
            assertEquals(0, r.code(), coll + "\n" + r.stdout() + r.stderr());
            assertEquals("0 OK", r.out().outOfBounds, coll);
        }
    }

    @Test
    void forcedAlgorithmsEachRunAndPlot(@TempDir final Path dir) throws Exception
    {
        final Path png = dir.resolve("ring-vs-rd.png");
        final PerfDriverTest.Run r = run(small("all_reduce", "--algo", "ring,rd", "--plot", png.toString()));
        assertEquals(0, r.code(), r.stdout() + r.stderr());
        assertTrue(r.stdout().contains("algo ring") && r.stdout().contains("algo rd"), r.stdout());
        assertTrue(Files.size(png) > 1000);
    }

    @Test
    void anUnknownAlgorithmIsAUsageErrorNamingTheValidOnes()
    {
        final PerfDriverTest.Run r = run(small("all_reduce", "--algo", "butterfly"));
        assertEquals(JcclPerf.EXIT_USAGE, r.code());
        assertTrue(r.stderr().contains("butterfly") && r.stderr().contains("ring"), r.stderr());
    }

    @Test
    void listAlgosPrintsTheBuiltInAlgorithms()
    {
        final PerfDriverTest.Run r = run("--list-algos");
        assertEquals(0, r.code());
        for (final String expected : List.of("allreduce", "ring", "rd", "broadcast", "allgather", "reducescatter", "barrier"))
        {
            assertTrue(r.stdout().contains(expected), expected + " missing:\n" + r.stdout());
        }
    }
}
