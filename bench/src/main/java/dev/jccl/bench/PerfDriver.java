package dev.jccl.bench;


import dev.jccl.Communicator;
import dev.jccl.DataType;
import dev.jccl.ReduceOp;

import java.io.PrintStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * nccl-tests' common driver: for every type, op, root and size, times the out-of-place then the
 * in-place form of one {@link PerfColl}, checks the results, aggregates times and wrong counts
 * across ranks, and prints the table on rank 0. Every rank runs it with its own communicator;
 * all ranks issue the same calls in the same order.
 *
 * <p>On a device transport (NCCL) the send and receive buffers are device memory, as in nccl-tests:
 * the inputs are written on the host and copied to the device before the collective, the outputs
 * copied back to the host to be checked; neither copy is inside the timed loop.
 */
public final class PerfDriver
{
    private static final int RANK_INFO_BYTES = 256;
    private static volatile String hostName;

    private final PerfOptions options;
    private final PerfColl coll;
    private final PerfOptions.Variant variant;
    private final int nThreads;
    private final PrintStream out;
    private final Function<Communicator, DeviceMemory> deviceMemory;
    private final double[] time = new double[1];
    private final long[] wrongCount = new long[1];
    private final double[] vote = new double[1];

    /**
     * @param nThreads ranks per process, for the "# nThread" header (the -t value, or 1).
     * @param out      where rank 0 prints the table; null prints nothing.
     */
    public PerfDriver(final PerfOptions options, final PerfColl coll, final PerfOptions.Variant variant, final int nThreads,
        final PrintStream out)
    {
        this(options, coll, variant, nThreads, out, comm -> null);
    }

    /**
     * @param deviceMemory the device memory for a rank's buffers ({@link CommFactory#deviceMemory}), null for host memory.
     */
    public PerfDriver(final PerfOptions options, final PerfColl coll, final PerfOptions.Variant variant, final int nThreads,
        final PrintStream out, final Function<Communicator, DeviceMemory> deviceMemory)
    {
        this.options = options;
        this.coll = coll;
        this.variant = variant;
        this.nThreads = nThreads;
        this.out = out;
        this.deviceMemory = deviceMemory;
    }

    public PerfReport run(final Communicator comm)
    {
        final int n = comm.size();
        final DeviceMemory device = deviceMemory.apply(comm);
        final List<String> rankLines = exchangeRankInfo(comm, device);

        final List<DataType> types = coll.movesData() ? options.types() : Collections.singletonList(null);
        final List<ReduceOp> ops = coll.reduces() ? options.ops() : Collections.singletonList(null);
        final List<Integer> roots = new ArrayList<>();
        if (!coll.rooted())
        {
            roots.add(-1);
        }
        else if (options.root() < 0)
        {
            for (int r = 0; r < n; r++)
            {
                roots.add(r);
            }
        }
        else
        {
            if (options.root() >= n)
            {
                throw new UsageException("root " + options.root() + " is not a rank: there are " + n + " ranks");
            }
            roots.add(options.root());
        }
        final List<Long> sizes = coll.movesData() ? options.sizes() : List.of(0L);

        long capacity = 8;
        for (final DataType type : types)
        {
            final int ts = type == null ? 1 : type.size();
            for (final long size : sizes)
            {
                capacity = Math.max(capacity, coll.counts(size, ts, n).bytes(ts));
            }
        }
        final String memory = device == null ? options.memory() : device.label().replaceFirst(":.*", "");
        try (PerfBuffers send = buffers(device, capacity);
             PerfBuffers recv = buffers(device, capacity))
        {
            return run(comm, types, ops, roots, sizes, memory, rankLines, send, recv);
        }
    }

    private PerfBuffers buffers(final DeviceMemory device, final long capacity)
    {
        return device == null ? new PerfBuffers(options.memory(), capacity) : PerfBuffers.onDevice(device, capacity);
    }

    private PerfReport run(
        final Communicator comm, final List<DataType> types, final List<ReduceOp> ops, final List<Integer> roots, final List<Long> sizes,
        final String memory, final List<String> rankLines, final PerfBuffers send, final PerfBuffers recv)
    {
        final int n = comm.size();
        final boolean printer = comm.rank() == 0 && out != null;

        if (printer)
        {
            out.println(TableFormat.configLine(options, nThreads));
            out.println("#");
            out.println("# Using devices");
            rankLines.forEach(out::println);
            out.println(String.format(Locale.ROOT, "# JCCL %s: %d ranks, transport %s, algo %s, memory %s, time %s over ranks",
                coll.name(), n, comm.transportName(), variant.algo() == null ? "auto" : variant.algo(), memory,
                options.aggregation().name().toLowerCase(Locale.ROOT)));
            out.println("#");
            TableFormat.columnHeader().forEach(out::println);
            out.flush();
        }

        if (!types.isEmpty() && !ops.isEmpty() && !roots.isEmpty())
        {
            warmUp(comm, types.get(0), ops.get(0), roots.get(0), sizes, send, recv);
        }

        final List<PerfRow> rows = new ArrayList<>();
        long totalWrong = 0;
        double busBwSum = 0;
        int busBwCount = 0;
        for (int cycle = 0; options.cycles() == 0 || cycle < options.cycles(); cycle++)
        {
            for (final DataType type : types)
            {
                for (final ReduceOp op : ops)
                {
                    for (final int root : roots)
                    {
                        for (final long size : sizes)
                        {
                            final int ts = type == null ? 1 : type.size();
                            final PerfColl.Counts counts = coll.counts(size, ts, n);
                            final PerfRow.Timing outOfPlace = measure(comm, type, op, root, counts, false, send, recv);
                            final PerfRow.Timing inPlace = measure(comm, type, op, root, counts, true, send, recv);
                            final PerfRow row = new PerfRow(coll.name(), variant.label(), n, counts.bytes(ts),
                                counts.paramCount(), Names.typeName(type), Names.opName(op), root, outOfPlace, inPlace);
                            rows.add(row);
                            totalWrong += Math.max(0, outOfPlace.wrong()) + Math.max(0, inPlace.wrong());
                            busBwSum += outOfPlace.busBw() + inPlace.busBw();
                            busBwCount += 2;
                            if (printer)
                            {
                                out.println(TableFormat.row(row));
                                out.flush();
                            }
                        }
                    }
                }
            }
        }
        final double avgBusBw = busBwCount == 0 ? 0 : busBwSum / busBwCount;
        if (printer)
        {
            TableFormat.footer(totalWrong, avgBusBw).forEach(out::println);
            out.println();
            out.flush();
        }
        return new PerfReport(coll.name(), variant, comm.transportName(), n, rankLines, List.copyOf(rows), totalWrong, avgBusBw);
    }

    /**
     * {@link WarmupPass}: rounds of untimed calls over every table size, out-of-place and in-place
     * alternately, before any row, until the JIT has gone quiet or the time bound is spent. Every
     * rank votes after each round (allreduce MAX), so all make the same calls and stop together.
     */
    private void warmUp(
        final Communicator comm, final DataType type, final ReduceOp op, final int root, final List<Long> sizes,
        final PerfBuffers send, final PerfBuffers recv)
    {
        if (options.warmupIters() == 0)
        {
            return;
        }
        final int n = comm.size();
        final int ts = type == null ? 1 : type.size();
        final long boundNanos = TimeUnit.MILLISECONDS.toNanos(options.warmupMillis());
        // Made before the rounds: making the platform MXBean reads the cgroup files (streams, regex,
        // heap-buffer file reads), which after the rounds threw away the C2 code of the JDK's socket
        // read (IOUtil::read "made not entrant" on its heap-buffer branch) and put the recompiles and
        // the reads' slow path into the table's first rows (8-64 B at 12.3-17.8 us against 10.4).
        final CompilerDrain drain = CompilerDrain.ofThisProcess();
        final long start = System.nanoTime();
        int rounds = 0;
        boolean quiet = false;
        long windowStart = start;
        long compileAtWindowStart = compileMillis();
        while (true)
        {
            for (final long size : WarmupPass.sizes(sizes))
            {
                warmUpSize(comm, type, op, root, coll.counts(size, ts, n), send, recv);
            }
            rounds++;
            final long now = System.nanoTime();
            quiet = false;
            if (WarmupPass.judged(now - windowStart))
            {
                final long compiled = compileMillis();
                quiet = WarmupPass.quiet(now - windowStart, compiled < 0 ? -1 : compiled - compileAtWindowStart);
                windowStart = now;
                compileAtWindowStart = compiled;
            }
            vote[0] = WarmupPass.another(now - start, boundNanos, quiet) ? 1 : 0;
            comm.allReduce(vote, ReduceOp.MAX);
            if (vote[0] == 0)
            {
                break;
            }
        }
        final double roundSeconds = (System.nanoTime() - start) / 1e9;
        String drained = "";
        if (boundNanos > 0)
        {
            // Let the compilers finish what the rounds queued, idle, then start together (CompilerDrain).
            // Every rank takes part, quiet or not: quietness is each rank's own, and a rank that
            // skipped this vote met its peer's vote with its first row (a mismatch, seen in results.sh).
            final long drainStart = System.nanoTime();
            boolean idle;
            try
            {
                idle = drain.await(Math.min(boundNanos, DRAIN_BOUND_NANOS));
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                idle = false;
            }
            vote[0] = idle ? 0 : 1;
            comm.allReduce(vote, ReduceOp.MAX);
            drained = String.format(Locale.ROOT, "; then %.1f s idle, compilers %s", (System.nanoTime() - drainStart) / 1e9,
                vote[0] == 0 ? "done" : "still busy");
        }
        if (comm.rank() == 0 && out != null)
        {
            out.println(String.format(Locale.ROOT, "# JIT warm-up: %d round%s over the sizes up to 8 MiB, %.1f s, %s%s", rounds,
                rounds == 1 ? "" : "s", roundSeconds,
                quiet ? "compilers quiet" : "compilers still busy at the --warmup-ms bound", drained));
            out.flush();
        }
    }

    /** The longest idle wait for the compilers after the warm-up rounds (never more than --warmup-ms). */
    private static final long DRAIN_BOUND_NANOS = TimeUnit.SECONDS.toNanos(3);

    /**
     * One size of a warm-up round: the row's own steps (data set-up, calls, barrier, time
     * aggregation, check), untimed and out-of-place then in-place, so the JIT's profiles hold
     * what the rows run. Calls alone were not enough: the double-typed allreduces and barriers
     * between timings then met code compiled for float calls only, which was thrown away and
     * recompiled during the first rows (-XX:+PrintCompilation: the transport's read and poll
     * methods "made not entrant" as the table began).
     */
    private void warmUpSize(
        final Communicator comm, final DataType type, final ReduceOp op, final int root, final PerfColl.Counts counts,
        final PerfBuffers send, final PerfBuffers recv)
    {
        final int ts = type == null ? 1 : type.size();
        final int calls = WarmupPass.calls(counts.bytes(ts), options.warmupIters());
        // Untimed calls and one timed call in each measure, as every row has both: a warm-up that never
        // entered the row's own warm-up loop left C2 an uncommon trap there, and the table's first row
        // paid for the deoptimisation and a recompile of measure (-XX:+PrintCompilation; 8 B all_gather
        // 116-136 us). The untimed calls run in chunks (RowCalls.untimed): see there.
        final PerfRow.Timing outOfPlace = measure(comm, type, op, root, counts, false, send, recv, Math.max(1, (calls + 1) / 2 - 1), 1);
        final PerfRow.Timing inPlace = calls / 2 > 0
            ? measure(comm, type, op, root, counts, true, send, recv, Math.max(1, calls / 2 - 1), 1) : outOfPlace;
        if (comm.rank() == 0 && out != null)
        {
            // Format rows and drop them: the formatter's compilations otherwise land in the table's
            // rows (on a rank bound to one core they share it with the timed calls). Times spread
            // over four decades take every branch of the time column.
            for (int i = 0; i < ROW_FORMATS_PER_SIZE; i++)
            {
                final double scale = WARM_UP_TIME_SCALES[i % WARM_UP_TIME_SCALES.length];
                TableFormat.row(new PerfRow(coll.name(), "warm-up", comm.size(), counts.bytes(ts), counts.paramCount(),
                    Names.typeName(type), Names.opName(op), root, scaled(outOfPlace, scale), scaled(inPlace, scale)));
            }
        }
    }

    /** Rows formatted per size and warm-up round: enough for C2 to take the row formatter before the table. */
    private static final int ROW_FORMATS_PER_SIZE = 64;
    private static final double[] WARM_UP_TIME_SCALES = { 1.0, 0.013, 0.37, 7.9, 131.0, 2900.0 };

    private static PerfRow.Timing scaled(final PerfRow.Timing t, final double scale)
    {
        return new PerfRow.Timing(t.timeUs() * scale, t.algBw() / scale, t.busBw() / scale, t.wrong());
    }

    /** Milliseconds this JVM's compilers have spent so far; -1 where the JVM does not say. */
    private static long compileMillis()
    {
        final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit == null || !jit.isCompilationTimeMonitoringSupported() ? -1 : jit.getTotalCompilationTime();
    }

    private PerfRow.Timing measure(
        final Communicator comm, final DataType type, final ReduceOp op, final int root, final PerfColl.Counts counts,
        final boolean inPlace, final PerfBuffers send, final PerfBuffers recv)
    {
        final long bytes = counts.bytes(type == null ? 1 : type.size());
        return measure(comm, type, op, root, counts, inPlace, send, recv, options.warmupFor(bytes), options.itersFor(bytes));
    }

    /** One row's steps with {@code warmup} untimed and {@code iters} timed calls ({@code iters} >= 1). */
    private PerfRow.Timing measure(
        final Communicator comm, final DataType type, final ReduceOp op, final int root, final PerfColl.Counts counts,
        final boolean inPlace, final PerfBuffers send, final PerfBuffers recv, final int warmup, final int iters)
    {
        final int n = comm.size();
        final int ts = type == null ? 1 : type.size();
        final long bytes = counts.bytes(ts);
        final CollArgs args = new CollArgs(comm.rank(), n, type, op, root, counts, inPlace, send, recv);
        final Runnable call = coll.prepare(comm, args);
        if (coll.movesData())
        {
            recv.poison(bytes);
            coll.initData(args, 0);
            send.toDevice(bytes);
            recv.toDevice(bytes);
        }
        RowCalls.untimed(call, warmup);
        comm.barrier();
        final long start = System.nanoTime();
        RowCalls.timed(call, iters);
        final double seconds = aggregate(comm, (System.nanoTime() - start) / 1.0e9 / iters);

        long wrong = -1;
        if (options.checkIters() > 0)
        {
            long local = 0;
            for (int c = 0; c < options.checkIters(); c++)
            {
                if (coll.movesData())
                {
                    recv.poison(bytes);
                    coll.initData(args, c + 1);
                    send.toDevice(bytes);
                    recv.toDevice(bytes);
                }
                call.run();
                if (coll.movesData())
                {
                    recv.toHost(bytes);
                }
                local += coll.check(args, c + 1);
            }
            wrongCount[0] = local;
            comm.allReduce(wrongCount, ReduceOp.SUM);
            wrong = wrongCount[0];
        }
        return PerfRow.Timing.of(seconds, bytes, coll.busBwFactor(n), wrong);
    }

    private double aggregate(final Communicator comm, final double seconds)
    {
        time[0] = seconds;
        switch (options.aggregation())
        {
            case RANK0:
                comm.broadcast(time, 0);
                break;
            case AVG:
                comm.allReduce(time, ReduceOp.SUM);
                time[0] /= comm.size();
                break;
            case MIN:
                comm.allReduce(time, ReduceOp.MIN);
                break;
            case MAX:
                comm.allReduce(time, ReduceOp.MAX);
                break;
            default:
                throw new IllegalStateException(options.aggregation().toString());
        }
        return time[0];
    }

    /** Every rank's pid, host and transport, gathered so rank 0 can print nccl-tests' device lines. */
    static List<String> exchangeRankInfo(final Communicator comm)
    {
        return exchangeRankInfo(comm, null);
    }

    /** The same, with each rank's device (null: host memory, "[cpu]"). */
    static List<String> exchangeRankInfo(final Communicator comm, final DeviceMemory memory)
    {
        final byte[] mine = new byte[RANK_INFO_BYTES];
        final ByteBuffer b = ByteBuffer.wrap(mine);
        b.putLong(ProcessHandle.current().pid());
        putString(b, host(), 100);
        putString(b, comm.transportName(), 16);
        b.putInt(memory == null ? -1 : memory.device());
        putString(b, memory == null ? "cpu" : memory.label(), 16);
        putString(b, memory == null ? "" : memory.name(), 80);
        final byte[] all = new byte[RANK_INFO_BYTES * comm.size()];
        comm.allGather(mine, all);
        final List<String> lines = new ArrayList<>();
        final List<String> hosts = new ArrayList<>();
        for (int r = 0; r < comm.size(); r++)
        {
            final ByteBuffer in = ByteBuffer.wrap(all, r * RANK_INFO_BYTES, RANK_INFO_BYTES);
            final long pid = in.getLong();
            final String host = getString(in);
            final String transport = getString(in);
            final int ordinal = in.getInt();
            final String label = getString(in);
            final String name = getString(in);
            // host memory: the device number is the rank's index among the ranks on its host, as GPUs are numbered per node
            final int device = ordinal >= 0 ? ordinal : Collections.frequency(hosts, host);
            hosts.add(host);
            lines.add(TableFormat.rankLine(r, pid, host, device, label, name, transport));
        }
        return lines;
    }

    private static void putString(final ByteBuffer b, final String s, final int max)
    {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > max)
        {
            bytes = java.util.Arrays.copyOf(bytes, max);
        }
        b.put((byte)bytes.length);
        b.put(bytes);
    }

    private static String getString(final ByteBuffer b)
    {
        final byte[] bytes = new byte[b.get() & 0xff];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static String host()
    {
        String h = hostName;
        if (h == null)
        {
            // The host the library groups this rank by (jcclrun's hostfile name, bench/twohosts.sh), else the machine's.
            h = System.getenv("JCCL_HOST_NAME");
            if (h == null || h.isEmpty())
            {
                h = System.getenv("HOSTNAME");
            }
            if (h == null || h.isEmpty())
            {
                try
                {
                    h = InetAddress.getLocalHost().getHostName();
                }
                catch (final Exception ex)
                {
                    h = "localhost";
                }
            }
            hostName = h;
        }
        return h;
    }
}
