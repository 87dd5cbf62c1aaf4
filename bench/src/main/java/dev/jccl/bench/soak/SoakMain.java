package dev.jccl.bench.soak;

import dev.jccl.CommBuffer;
import dev.jccl.Communicator;
import dev.jccl.Jccl;
import dev.jccl.ReduceOp;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The soak rank (run by {@code bench/soak.sh} through jcclrun): mixed collectives of varying
 * sizes in a loop for {@code --duration} seconds, checking every result. Every {@code --interval}
 * seconds it prints one line per rank with RSS, post-GC heap, threads, open fds and p50/p99 latency
 * per collective; at the end it prints PASS, or GROWTH naming what leaked and exits 1. A wrong
 * result exits 3 at once.
 *
 * <pre>soak rank=0 t=60s rss_kb=.. heap_used_kb=.. threads=.. fds=.. | allReduce n=.. p50_us=.. p99_us=.. | ...</pre>
 */
public final class SoakMain
{
    private static final int[] COUNTS = { 1, 1000, 65_536, 262_144 };
    private static final int LATENCY_CAPACITY = 1 << 16;

    private SoakMain()
    {
    }

    public static void main(final String[] args)
    {
        long durationS = 600;
        long intervalS = 60;
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--duration":
                    durationS = Long.parseLong(args[++i]);
                    break;
                case "--interval":
                    intervalS = Long.parseLong(args[++i]);
                    break;
                default:
                    System.err.println("usage: SoakMain [--duration SECONDS] [--interval SECONDS]; unknown '" + args[i] + "'");
                    System.exit(2);
            }
        }
        if (durationS < 1 || intervalS < 1)
        {
            System.err.println("SoakMain: --duration and --interval must be >= 1 second");
            System.exit(2);
        }
        System.exit(run(durationS, intervalS));
    }

    private static int run(final long durationS, final long intervalS)
    {
        try (Communicator comm = Jccl.init())
        {
            final int rank = comm.rank();
            final int size = comm.size();
            final LatencyLog[] logs = {
                new LatencyLog("allReduce", LATENCY_CAPACITY), new LatencyLog("broadcast", LATENCY_CAPACITY),
                new LatencyLog("allGather", LATENCY_CAPACITY), new LatencyLog("reduceScatter", LATENCY_CAPACITY),
                new LatencyLog("reduce", LATENCY_CAPACITY), new LatencyLog("barrier", LATENCY_CAPACITY) };
            final int maxCount = COUNTS[COUNTS.length - 1];
            final float[] vector = new float[maxCount];
            final float[] gathered = new float[maxCount * size];
            final float[] scattered = new float[maxCount];
            // Views per size, made once: the loop itself allocates nothing, so heap growth means a leak below it.
            final CommBuffer[] vectorViews = new CommBuffer[COUNTS.length];
            final CommBuffer[] blockViews = new CommBuffer[COUNTS.length];
            final CommBuffer[] gatheredViews = new CommBuffer[COUNTS.length];
            final CommBuffer[] scatteredViews = new CommBuffer[COUNTS.length];
            final CommBuffer[] reducedViews = new CommBuffer[COUNTS.length];
            for (int k = 0; k < COUNTS.length; k++)
            {
                final int block = Math.max(1, COUNTS[k] / size);
                vectorViews[k] = CommBuffer.of(vector, 0, COUNTS[k]);
                blockViews[k] = CommBuffer.of(vector, 0, block);
                gatheredViews[k] = CommBuffer.of(gathered, 0, block * size);
                scatteredViews[k] = CommBuffer.of(scattered, 0, block);
                reducedViews[k] = CommBuffer.of(scattered, 0, COUNTS[k]);
            }
            final GrowthCheck growth = new GrowthCheck();
            final long start = System.nanoTime();
            final long end = start + TimeUnit.SECONDS.toNanos(durationS);
            long nextReport = start + TimeUnit.SECONDS.toNanos(intervalS);
            long iteration = 0;
            // Ranks agree on when to stop and when to report by allreducing both decisions: each
            // rank's own clock would let one enter the report's barrier while another is still
            // in the next allReduce (a mismatch the transports rightly refuse).
            final int[] stop = new int[2];
            while (true)
            {
                final int k = (int)(iteration % COUNTS.length);
                final int count = COUNTS[k];
                long t0 = System.nanoTime();
                java.util.Arrays.fill(vector, 0, count, rank + 1);
                comm.allReduce(vectorViews[k], ReduceOp.SUM);
                logs[0].record(System.nanoTime() - t0);
                check(vector[count - 1] == size * (size + 1) / 2f, "allReduce", vector[count - 1]);

                final int root = (int)(iteration % size);
                vector[0] = rank == root ? 42 + root : -1;
                t0 = System.nanoTime();
                comm.broadcast(vectorViews[k], root);
                logs[1].record(System.nanoTime() - t0);
                check(vector[0] == 42 + root, "broadcast", vector[0]);

                final int block = Math.max(1, count / size);
                java.util.Arrays.fill(vector, 0, block, rank);
                t0 = System.nanoTime();
                comm.allGather(blockViews[k], gatheredViews[k]);
                logs[2].record(System.nanoTime() - t0);
                check(gathered[(size - 1) * block] == size - 1, "allGather", gathered[(size - 1) * block]);

                java.util.Arrays.fill(gathered, 0, block * size, 1);
                t0 = System.nanoTime();
                comm.reduceScatter(gatheredViews[k], scatteredViews[k], ReduceOp.SUM);
                logs[3].record(System.nanoTime() - t0);
                check(scattered[0] == size, "reduceScatter", scattered[0]);

                java.util.Arrays.fill(vector, 0, count, 2);
                t0 = System.nanoTime();
                comm.reduce(vectorViews[k], reducedViews[k], ReduceOp.MAX, root);
                logs[4].record(System.nanoTime() - t0);
                check(rank != root || scattered[0] == 2, "reduce", scattered[0]);

                t0 = System.nanoTime();
                comm.barrier();
                logs[5].record(System.nanoTime() - t0);
                iteration++;

                if ((iteration & 15) == 0)
                {
                    final long now = System.nanoTime();
                    stop[0] = now >= end ? 1 : 0;
                    stop[1] = now >= nextReport ? 1 : 0;
                    comm.allReduce(stop, ReduceOp.MAX);
                    if (stop[1] != 0 || stop[0] != 0)
                    {
                        nextReport = now + TimeUnit.SECONDS.toNanos(intervalS);
                        final ProcessSample sample = ProcessSample.take();
                        growth.add(sample);
                        final StringBuilder line = new StringBuilder().append("soak rank=").append(rank)
                            .append(" t=").append(TimeUnit.NANOSECONDS.toSeconds(now - start)).append("s ").append(sample.format());
                        for (final LatencyLog log : logs)
                        {
                            line.append(" | ").append(log.reportAndReset());
                        }
                        System.out.println(line);
                        // A report's GC pause would show up in the others' latencies; line them up again.
                        comm.barrier();
                    }
                    if (stop[0] != 0)
                    {
                        break;
                    }
                }
            }
            final List<String> problems = growth.problems();
            if (!problems.isEmpty())
            {
                System.out.println("soak rank=" + rank + " GROWTH: " + String.join("; ", problems));
                return 1;
            }
            System.out.println(String.format(Locale.ROOT, "soak rank=%d PASS iterations=%d samples=%d", rank, iteration, growth.size()));
            return 0;
        }
    }

    private static void check(final boolean ok, final String what, final float got)
    {
        if (!ok)
        {
            System.out.println("soak WRONG result in " + what + ": " + got);
            System.out.flush();
            System.exit(3);
        }
    }
}
