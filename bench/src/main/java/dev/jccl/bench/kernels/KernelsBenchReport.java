package dev.jccl.bench.kernels;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs the kernel benchmarks and prints the tables of native/README.md.
 *
 * <pre>
 * java -cp ... dev.jccl.bench.kernels.KernelsBenchReport throughput   # ReduceKernelsBenchmark, GB/s and % of C
 * java -cp ... dev.jccl.bench.kernels.KernelsBenchReport crossover    # KernelCrossoverBenchmark, ns per call
 * </pre>
 * Any further arguments are JMH include patterns' params as {@code name=v1,v2} (e.g. {@code type=FLOAT32}).
 */
public final class KernelsBenchReport
{
    private KernelsBenchReport()
    {
    }

    public static void main(final String[] args) throws RunnerException
    {
        final String what = args.length > 0 ? args[0] : "throughput";
        final boolean crossover = "crossover".equals(what);
        final ChainedOptionsBuilder options = new OptionsBuilder()
            .include((crossover ? KernelCrossoverBenchmark.class : ReduceKernelsBenchmark.class).getName() + "\\.");
        for (int i = 1; i < args.length; i++)
        {
            final int eq = args[i].indexOf('=');
            options.param(args[i].substring(0, eq), args[i].substring(eq + 1).split(","));
        }
        final Collection<RunResult> results = new Runner(options.build()).run();
        if (crossover)
        {
            printCrossover(results);
        }
        else
        {
            printThroughput(results);
        }
    }

    private static String method(final RunResult result)
    {
        final String name = result.getParams().getBenchmark();
        return name.substring(name.lastIndexOf('.') + 1);
    }

    private static void printThroughput(final Collection<RunResult> results)
    {
        // (type, bytes) -> method -> microseconds per operation
        final Map<String, Map<String, Double>> table = new TreeMap<>();
        for (final RunResult result : results)
        {
            final String key = result.getParams().getParam("type") + " " + result.getParams().getParam("bytes");
            table.computeIfAbsent(key, k -> new TreeMap<>()).put(method(result), result.getPrimaryResult().getScore());
        }
        final String[] columns = { "javaOffHeap", "nativeOffHeap", "javaHeap", "nativeHeap", "cLoopO3", "cLoopO3Avx2" };
        System.out.println();
        System.out.println("GB/s of bytes touched (3 x bytes per array per op); last columns: native off-heap as % of each C loop");
        final StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "| %-8s | %-9s |", "type", "bytes"));
        for (final String column : columns)
        {
            header.append(String.format(Locale.ROOT, " %13s |", column));
        }
        header.append(" native/C-O3 | native/C-avx2 |");
        System.out.println(header);
        for (final Map.Entry<String, Map<String, Double>> row : table.entrySet())
        {
            final String[] key = row.getKey().split(" ");
            final long bytes = Long.parseLong(key[1]);
            final StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "| %-8s | %-9s |", key[0], size(bytes)));
            final List<Double> gbs = new ArrayList<>();
            for (final String column : columns)
            {
                final Double micros = row.getValue().get(column);
                final double rate = micros == null ? Double.NaN : 3.0 * bytes / (micros * 1e-6) / 1e9;
                gbs.add(rate);
                line.append(String.format(Locale.ROOT, " %13.1f |", rate));
            }
            line.append(String.format(Locale.ROOT, " %10.0f%% | %12.0f%% |", 100 * gbs.get(1) / gbs.get(4), 100 * gbs.get(1) / gbs.get(5)));
            System.out.println(line);
        }
    }

    private static void printCrossover(final Collection<RunResult> results)
    {
        final Map<String, Map<Integer, double[]>> table = new TreeMap<>();
        for (final RunResult result : results)
        {
            final String type = result.getParams().getParam("type");
            final int count = Integer.parseInt(result.getParams().getParam("count"));
            final double[] pair = table.computeIfAbsent(type, k -> new TreeMap<>()).computeIfAbsent(count, k -> new double[2]);
            pair["java".equals(method(result)) ? 0 : 1] = result.getPrimaryResult().getScore();
        }
        System.out.println();
        System.out.println("ns per call, java / native (JNI); * where native is faster");
        for (final Map.Entry<String, Map<Integer, double[]>> row : table.entrySet())
        {
            final StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "| %-8s |", row.getKey()));
            for (final Map.Entry<Integer, double[]> cell : row.getValue().entrySet())
            {
                final double[] pair = cell.getValue();
                line.append(String.format(Locale.ROOT, " %d: %.0f/%.0f%s |", cell.getKey(), pair[0], pair[1], pair[1] < pair[0] ? "*" : ""));
            }
            System.out.println(line);
        }
    }

    private static String size(final long bytes)
    {
        return bytes >= 1 << 20 ? (bytes >> 20) + " MiB" : (bytes >> 10) + " KiB";
    }
}
