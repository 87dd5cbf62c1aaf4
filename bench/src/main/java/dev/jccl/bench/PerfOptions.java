package dev.jccl.bench;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The parsed jccl-perf command line. Flags keep nccl-tests' letters and meanings (and its long
 * names), so a command written for {@code all_reduce_perf} runs unchanged.
 */
public final class PerfOptions
{
    public static final long DEFAULT_BYTES = 32L << 20;

    String collective;
    long minBytes = DEFAULT_BYTES;
    long maxBytes = DEFAULT_BYTES;
    long stepFactor = 1;
    long stepBytes = 1L << 20;
    boolean stepFactorGiven;
    boolean stepBytesGiven;
    int iters = 20;
    int warmupIters = 5;
    /** --warmup-ms: bound on the JIT warm-up rounds before the table ({@link WarmupPass}). */
    int warmupMillis = 5000;
    /** --iter-bytes: 0 runs -n/-w at every size; otherwise both shrink so one size moves about this many bytes. */
    long iterBytes;
    int checkIters = 1;
    List<DataType> types = List.of(DataType.FLOAT32);
    List<ReduceOp> ops = List.of(ReduceOp.SUM);
    /** -1: every rank in turn, for rooted collectives. */
    int root;
    TimeAggregation aggregation = TimeAggregation.AVG;
    /** 0: run until killed, as in nccl-tests. */
    int cycles = 1;
    /** 0: ranks come from the environment (one per process); otherwise this many ranks as threads. */
    int threads;
    final List<String> transports = new ArrayList<>();
    final List<String> algos = new ArrayList<>();
    boolean listAlgos;
    boolean help;
    Path json;
    Path csv;
    Path plot;
    /** "direct" (off-heap ByteBuffers, as device memory in nccl-tests) or "heap" (byte[]). */
    String memory = "direct";
    /** -T: communicator timeout in seconds; 0 keeps the configured default. */
    int timeoutSeconds;

    /** The subcommand, normalised ("all_reduce"). */
    public String collective()
    {
        return collective;
    }

    public List<Long> sizes()
    {
        return Sizes.series(minBytes, maxBytes, stepFactor, stepBytes);
    }

    public long minBytes()
    {
        return minBytes;
    }

    public long maxBytes()
    {
        return maxBytes;
    }

    public long stepFactor()
    {
        return stepFactor;
    }

    public long stepBytes()
    {
        return stepBytes;
    }

    public int iters()
    {
        return iters;
    }

    public int warmupIters()
    {
        return warmupIters;
    }

    /** Bound of the JIT warm-up before the table, milliseconds (0: one round). */
    public int warmupMillis()
    {
        return warmupMillis;
    }

    public long iterBytes()
    {
        return iterBytes;
    }

    /**
     * Timed iterations at {@code bytes}: {@code -n}, or with {@code --iter-bytes B} as many as move
     * about B bytes, between 3 and {@code -n}. Every rank computes the same count from the size.
     */
    public int itersFor(final long bytes)
    {
        if (iterBytes == 0 || bytes <= 0)
        {
            return iters;
        }
        return (int)Math.max(Math.min(iters, 3), Math.min(iters, iterBytes / bytes));
    }

    /** Warm-up iterations at {@code bytes}: {@code -w} scaled by the same factor as {@link #itersFor}, at least 1 when -w > 0. */
    public int warmupFor(final long bytes)
    {
        if (warmupIters == 0 || itersFor(bytes) == iters)
        {
            return warmupIters;
        }
        return (int)Math.max(1, (long)warmupIters * itersFor(bytes) / iters);
    }

    public int checkIters()
    {
        return checkIters;
    }

    public List<DataType> types()
    {
        return types;
    }

    public List<ReduceOp> ops()
    {
        return ops;
    }

    public int root()
    {
        return root;
    }

    public TimeAggregation aggregation()
    {
        return aggregation;
    }

    public int cycles()
    {
        return cycles;
    }

    public int threads()
    {
        return threads;
    }

    public List<String> transports()
    {
        return transports;
    }

    public List<String> algos()
    {
        return algos;
    }

    public boolean listAlgos()
    {
        return listAlgos;
    }

    public boolean help()
    {
        return help;
    }

    public Path json()
    {
        return json;
    }

    public Path csv()
    {
        return csv;
    }

    public Path plot()
    {
        return plot;
    }

    public String memory()
    {
        return memory;
    }

    public int timeoutSeconds()
    {
        return timeoutSeconds;
    }

    /** The (algorithm, transport) pairs to run one after the other; one null-null pair for the defaults. */
    public List<Variant> variants()
    {
        final List<String> as = algos.isEmpty() ? java.util.Collections.singletonList(null) : algos;
        final List<String> ts = transports.isEmpty() ? java.util.Collections.singletonList(null) : transports;
        final List<Variant> out = new ArrayList<>();
        for (final String t : ts)
        {
            for (final String a : as)
            {
                out.add(new Variant(a, t));
            }
        }
        return out;
    }

    /** One configuration to measure: an algorithm name (null: the library's choice) and a transport (null: auto). */
    public record Variant(String algo, String transport)
    {
        /** Label for tables, legends and files. */
        public String label()
        {
            final String a = algo == null ? "auto" : algo;
            final String t = transport == null ? "auto" : transport;
            return a + "/" + t;
        }
    }

    /**
     * @throws UsageException naming the bad argument.
     */
    public static PerfOptions parse(final String... args)
    {
        final PerfOptions o = new PerfOptions();
        int i = 0;
        while (i < args.length)
        {
            final String arg = args[i++];
            if (!arg.startsWith("-") || arg.equals("-"))
            {
                if (o.collective != null)
                {
                    throw new UsageException("unexpected argument '" + arg + "' (the collective is already " + o.collective + ")");
                }
                o.collective = normaliseCollective(arg);
                continue;
            }
            String name;
            String value = null;
            if (arg.startsWith("--"))
            {
                final int eq = arg.indexOf('=');
                name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
                if (eq >= 0)
                {
                    value = arg.substring(eq + 1);
                }
            }
            else
            {
                name = arg.substring(1, 2);
                if (arg.length() > 2)
                {
                    value = arg.substring(2);
                }
            }
            final String key = canonical(name);
            if (key.equals("list-algos") || key.equals("help"))
            {
                if (value != null)
                {
                    throw new UsageException("option " + arg + " takes no value");
                }
                if (key.equals("help"))
                {
                    o.help = true;
                }
                else
                {
                    o.listAlgos = true;
                }
                continue;
            }
            if (value == null)
            {
                if (i >= args.length)
                {
                    throw new UsageException("option " + arg + " needs a value");
                }
                value = args[i++];
            }
            o.apply(key, arg, value);
        }
        if (!o.help && !o.listAlgos && o.collective == null)
        {
            throw new UsageException("name a collective: all_reduce, all_gather, broadcast, reduce_scatter, reduce or barrier");
        }
        if (o.maxBytes < o.minBytes)
        {
            throw new UsageException("-e (" + o.maxBytes + ") must not be below -b (" + o.minBytes + ")");
        }
        return o;
    }

    private static String canonical(final String name)
    {
        switch (name)
        {
            case "b": case "minbytes": return "b";
            case "e": case "maxbytes": return "e";
            case "f": case "stepfactor": return "f";
            case "i": case "stepbytes": return "i";
            case "n": case "iters": return "n";
            case "w": case "warmup_iters": return "w";
            case "iter-bytes": return "iter-bytes";
            case "warmup-ms": return "warmup-ms";
            case "c": case "check": return "c";
            case "d": case "datatype": return "d";
            case "o": case "op": return "o";
            case "r": case "root": return "r";
            case "a": case "average": return "a";
            case "N": case "run_cycles": return "N";
            case "T": case "timeout": return "T";
            case "t": case "nthreads": return "t";
            case "transport": return "transport";
            case "algo": return "algo";
            case "mem": return "mem";
            case "list-algos": return "list-algos";
            case "json": return "json";
            case "csv": return "csv";
            case "plot": return "plot";
            case "h": case "help": return "help";
            default:
                throw new UsageException("unknown option '" + (name.length() == 1 ? "-" : "--") + name + "'");
        }
    }

    private void apply(final String key, final String arg, final String value)
    {
        switch (key)
        {
            case "b":
                minBytes = Sizes.parse(value);
                break;
            case "e":
                maxBytes = Sizes.parse(value);
                break;
            case "f":
                stepFactor = parseInt(arg, value, 1);
                stepFactorGiven = true;
                break;
            case "i":
                stepBytes = Sizes.parse(value);
                if (stepBytes <= 0)
                {
                    throw new UsageException(arg + " must be positive");
                }
                stepBytesGiven = true;
                break;
            case "n":
                iters = parseInt(arg, value, 1);
                break;
            case "w":
                warmupIters = parseInt(arg, value, 0);
                break;
            case "warmup-ms":
                warmupMillis = parseInt(arg, value, 0);
                break;
            case "iter-bytes":
                iterBytes = Sizes.parse(value);
                if (iterBytes <= 0)
                {
                    throw new UsageException(arg + " must be positive");
                }
                break;
            case "c":
                checkIters = parseInt(arg, value, 0);
                break;
            case "d":
                types = Names.parseTypes(value);
                break;
            case "o":
                ops = Names.parseOps(value);
                break;
            case "r":
                root = value.equalsIgnoreCase("all") ? -1 : parseInt(arg, value, -1);
                break;
            case "a":
                aggregation = TimeAggregation.fromCode(parseInt(arg, value, 0));
                break;
            case "N":
                cycles = parseInt(arg, value, 0);
                break;
            case "T":
                timeoutSeconds = parseInt(arg, value, 1);
                break;
            case "t":
                threads = parseInt(arg, value, 1);
                break;
            case "transport":
                for (final String t : Names.splitList(value))
                {
                    final String lower = t.toLowerCase(Locale.ROOT);
                    if (!lower.equals("tcp") && !lower.equals("shm") && !lower.equals("nccl") && !lower.equals("auto"))
                    {
                        throw new UsageException("--transport takes tcp, shm, nccl or auto, got '" + t + "'");
                    }
                    transports.add(lower);
                }
                break;
            case "algo":
                if (value.contains(":"))
                {
                    algos.add(value.trim());
                }
                else
                {
                    algos.addAll(Names.splitList(value));
                }
                break;
            case "mem":
                if (!value.equals("direct") && !value.equals("heap"))
                {
                    throw new UsageException("--mem takes direct or heap, got '" + value + "'");
                }
                memory = value;
                break;
            case "json":
                json = Path.of(value);
                break;
            case "csv":
                csv = Path.of(value);
                break;
            case "plot":
                plot = Path.of(value);
                break;
            default:
                throw new UsageException("unknown option '" + arg + "'");
        }
    }

    private static int parseInt(final String arg, final String value, final int min)
    {
        final long v;
        try
        {
            v = Long.decode(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new UsageException("option " + arg + " needs a number, got '" + value + "'");
        }
        if (v < min || v > Integer.MAX_VALUE)
        {
            throw new UsageException("option " + arg + " must be at least " + min + ", got " + value);
        }
        return (int)v;
    }

    static String normaliseCollective(final String name)
    {
        String n = name.toLowerCase(Locale.ROOT).replace('-', '_');
        if (n.endsWith("_perf"))
        {
            n = n.substring(0, n.length() - "_perf".length());
        }
        switch (n)
        {
            case "all_reduce": case "allreduce": return "all_reduce";
            case "all_gather": case "allgather": return "all_gather";
            case "broadcast": case "bcast": return "broadcast";
            case "reduce_scatter": case "reducescatter": return "reduce_scatter";
            case "reduce": return "reduce";
            case "barrier": return "barrier";
            default:
                throw new UsageException("unknown collective '" + name +
                    "' (use all_reduce, all_gather, broadcast, reduce_scatter, reduce or barrier)");
        }
    }
}
