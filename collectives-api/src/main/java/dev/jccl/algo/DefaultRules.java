package dev.jccl.algo;

import dev.jccl.algo.AlgorithmSelector.Rule;
import dev.jccl.wire.CollectiveKind;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static dev.jccl.algo.AlgorithmSelector.ANY_RANKS;
import static dev.jccl.algo.AlgorithmSelector.INF;

/**
 * The default selection tables: for each collective, which algorithm below and above a switch
 * point, and (TCP) how that point moves with the world size. A tuning string ({@code JCCL_ALGO})
 * goes in front of these, so every entry here can be overridden per size and per world size.
 */
public enum DefaultRules
{
    /**
     * One switch point per collective for every world size: what a transport gets that has not
     * measured its own (shared memory today).
     */
    GENERIC
    {
        @Override
        Map<CollectiveKind, List<Rule>> rules(final AlgorithmRegistry registry)
        {
            final Table t = new Table(registry);
            t.split(CollectiveKind.ALL_REDUCE, 1, ANY_RANKS, GENERIC_ALL_REDUCE_RD_BELOW, RecursiveDoublingAllReduce.NAME, RingAllReduce.NAME);
            t.split(CollectiveKind.ALL_GATHER, 1, ANY_RANKS, GENERIC_ALL_GATHER_BRUCK_BELOW, BruckAllGather.NAME, RingAllGather.NAME);
            t.split(CollectiveKind.BROADCAST, 1, ANY_RANKS, GENERIC_BROADCAST_BINOMIAL_BELOW, BinomialBroadcast.NAME, ChainBroadcast.NAME);
            return t.withCommonTail();
        }
    },

    /**
     * TCP, measured with forced algorithms on the 2-core loopback machine (bench/RESULTS.md,
     * "Thresholds and tuning"); the figures behind each switch point are next to it.
     */
    TCP
    {
        @Override
        Map<CollectiveKind, List<Rule>> rules(final AlgorithmRegistry registry)
        {
            final Table t = new Table(registry);
            // allreduce: recursive doubling moves log2(n) x the vector in log2(n) rounds (n = 2:
            // one exchange of the whole vector), the ring 2(n-1)/n x in 2(n-1) rounds. On loopback
            // a round costs a scheduling of the peer (tens of us), so rd wins until the extra
            // bytes outweigh the saved rounds, later at n = 2 (same bytes, half the rounds) than
            // at larger n, where rd moves log2(n) / (2(n-1)/n) = 1.33x (n = 4) the ring's bytes.
            // Quiet machine, np=2, busbw GB/s rd vs ring: 512K 1.81 vs 1.62, 1M 2.65 vs 1.24,
            // 2M 2.10 vs 1.19, ring ahead from 4M. Loaded machine (load 13-25, rd and ring back to
            // back, min / median us per call over 3-5 repeats; bench/RESULTS.md has every size):
            //   np=2  2M rd 3795/7844 ring 4277/11448;   4M rd 9940/15630 ring 6798/13234
            //   np=3  512K rd 1711/7744 ring 2249/6498;  1M rd 4523/15824 ring 1754/3479
            //   np=4  512K rd 3908/10940 ring 3846/10150; 1M rd 6332/14298 ring 4102/10237
            // so rd below 4 MiB at n=2 and below 512 KiB from n=3. With reno on the loopback links
            // (TcpCongestion, c639ad7) np=4 moved: us per call, 3 runs each, rd vs ring, 512K
            // 540-1048 vs 875-1239, 1M 1011-1559 vs 1705-2116, 2M 2455-3695 vs 2053-2696, so rd
            // below 2 MiB at n=4 (4 ranks on 2 cores; rhd, below, has taken 512 KiB-8 MiB there since);
            // n >= 5 was not measured again and keeps 512 KiB.
            // Recursive halving-doubling (rhd) sends the ring's bytes in 2 log2(n) rounds and
            // reduces a quarter of what rd reduces at n=4. rd, rhd and ring back to back in one
            // launch, order rotated, 2026-11-29 22:59-23:05 UTC, busbw GB/s out-of-place medians:
            //   np=4 (6 runs)  512K rd 1.08 rhd 1.31 ring 0.68;  1M 1.24 / 1.39 / 0.84;
            //                  2M 1.11 / 1.62 / 1.08;  4M 0.81 / 1.50 / 1.23
            //   np=4 (3 runs)  8M 0.65 / 1.25 / 1.37;  16M 0.62 / 1.17 / 1.46
            //   np=3 (3 runs)  512K 1.92 / 1.79 / 1.14;  1M 1.61 / 1.80 / 1.70;  2M 1.87 / 2.08 / 1.51;
            //                  4M 1.52 / 1.71 / 1.78
            //   np=2 (6 runs)  2M 3.93 / 3.06 / 3.01;  4M 3.16 / 3.46 / 3.16;  8M 3.00 / 3.25 / 3.17
            // so rhd takes 512 KiB-8 MiB at n=4 and 512 KiB-4 MiB at n=3; at n=2 (where rhd is
            // the ring with one segment per block) no size had it ahead of both by more than the
            // noise, and the table stays rd / ring.
            t.split(CollectiveKind.ALL_REDUCE, 2, 2, TCP_ALL_REDUCE_RD_BELOW_2, RecursiveDoublingAllReduce.NAME, RingAllReduce.NAME);
            t.split(CollectiveKind.ALL_REDUCE, 3, 3, TCP_ALL_REDUCE_RD_BELOW_3, RecursiveDoublingAllReduce.NAME,
                TCP_ALL_REDUCE_RHD_BELOW_3, HalvingDoublingAllReduce.NAME, RingAllReduce.NAME);
            t.split(CollectiveKind.ALL_REDUCE, 4, 4, TCP_ALL_REDUCE_RD_BELOW_4, RecursiveDoublingAllReduce.NAME,
                TCP_ALL_REDUCE_RHD_BELOW_4, HalvingDoublingAllReduce.NAME, RingAllReduce.NAME);
            t.split(CollectiveKind.ALL_REDUCE, 5, ANY_RANKS, TCP_ALL_REDUCE_RD_BELOW_5, RecursiveDoublingAllReduce.NAME, RingAllReduce.NAME);
            t.split(CollectiveKind.ALL_REDUCE, 1, 1, INF, RecursiveDoublingAllReduce.NAME, RingAllReduce.NAME);
            t.split(CollectiveKind.ALL_GATHER, 1, ANY_RANKS, TCP_ALL_GATHER_BRUCK_BELOW, BruckAllGather.NAME, RingAllGather.NAME);
            t.split(CollectiveKind.BROADCAST, 1, ANY_RANKS, TCP_BROADCAST_BINOMIAL_BELOW, BinomialBroadcast.NAME, ChainBroadcast.NAME);
            return t.withCommonTail();
        }
    };

    static final long KIB = 1024;
    static final long MIB = 1024 * KIB;

    static final long GENERIC_ALL_REDUCE_RD_BELOW = 512 * KIB;
    static final long GENERIC_ALL_GATHER_BRUCK_BELOW = 32 * KIB;
    static final long GENERIC_BROADCAST_BINOMIAL_BELOW = 64 * KIB;
    static final long GENERIC_REDUCE_BINOMIAL_BELOW = 64 * KIB;

    /** TCP allreduce, 2 ranks: rd below this. */
    static final long TCP_ALL_REDUCE_RD_BELOW_2 = 4 * MIB;
    /** TCP allreduce, 3 ranks (rd folds the odd rank in and out: two extra whole-vector hops). */
    static final long TCP_ALL_REDUCE_RD_BELOW_3 = 512 * KIB;
    /** TCP allreduce, 3 ranks: rhd from {@link #TCP_ALL_REDUCE_RD_BELOW_3} to this, the ring above. */
    static final long TCP_ALL_REDUCE_RHD_BELOW_3 = 4 * MIB;
    /** TCP allreduce, 4 ranks. */
    static final long TCP_ALL_REDUCE_RD_BELOW_4 = 512 * KIB;
    /** TCP allreduce, 4 ranks: rhd from {@link #TCP_ALL_REDUCE_RD_BELOW_4} to this, the ring above. */
    static final long TCP_ALL_REDUCE_RHD_BELOW_4 = 8 * MIB;
    /** TCP allreduce, 5 ranks and more. */
    static final long TCP_ALL_REDUCE_RD_BELOW_5 = 512 * KIB;
    static final long TCP_ALL_GATHER_BRUCK_BELOW = 32 * KIB;
    static final long TCP_BROADCAST_BINOMIAL_BELOW = 64 * KIB;

    /** This table's rules per collective, most specific first, over {@code registry}'s algorithms. */
    abstract Map<CollectiveKind, List<Rule>> rules(AlgorithmRegistry registry);

    /** Builds one table: {@link #split} rules in order, then the kinds every table shares. */
    private static final class Table
    {
        private final AlgorithmRegistry registry;
        private final EnumMap<CollectiveKind, List<Rule>> rules = new EnumMap<>(CollectiveKind.class);

        Table(final AlgorithmRegistry registry)
        {
            this.registry = registry;
        }

        /** On world sizes [minRanks, maxRanks]: {@code small} below {@code below} bytes, {@code large} from there. */
        void split(final CollectiveKind kind, final int minRanks, final int maxRanks, final long below, final String small, final String large)
        {
            final List<Rule> list = rules.computeIfAbsent(kind, k -> new ArrayList<>());
            if (below > 0)
            {
                list.add(new Rule(0, below, minRanks, maxRanks, registry.lookup(kind, small)));
            }
            if (below != INF)
            {
                list.add(new Rule(below, INF, minRanks, maxRanks, registry.lookup(kind, large)));
            }
        }

        /** Three bands: {@code small} below {@code below}, {@code middle} to {@code middleBelow}, {@code large} from there. */
        void split(final CollectiveKind kind, final int minRanks, final int maxRanks, final long below, final String small,
            final long middleBelow, final String middle, final String large)
        {
            if (middleBelow <= below)
            {
                throw new IllegalArgumentException("middle band " + below + "-" + middleBelow + " is empty");
            }
            final List<Rule> list = rules.computeIfAbsent(kind, k -> new ArrayList<>());
            list.add(new Rule(0, below, minRanks, maxRanks, registry.lookup(kind, small)));
            list.add(new Rule(below, middleBelow, minRanks, maxRanks, registry.lookup(kind, middle)));
            list.add(new Rule(middleBelow, INF, minRanks, maxRanks, registry.lookup(kind, large)));
        }

        /** Reduce, reduce-scatter and barrier are the same in every table; every list made unmodifiable. */
        Map<CollectiveKind, List<Rule>> withCommonTail()
        {
            split(CollectiveKind.REDUCE, 1, ANY_RANKS, GENERIC_REDUCE_BINOMIAL_BELOW, BinomialReduce.NAME, RingReduce.NAME);
            rules.put(CollectiveKind.REDUCE_SCATTER, List.of(new Rule(0, INF, registry.lookup(CollectiveKind.REDUCE_SCATTER, RingReduceScatter.NAME))));
            rules.put(CollectiveKind.BARRIER, List.of(new Rule(0, INF, registry.lookup(CollectiveKind.BARRIER, DisseminationBarrier.NAME))));
            final EnumMap<CollectiveKind, List<Rule>> frozen = new EnumMap<>(CollectiveKind.class);
            rules.forEach((kind, list) -> frozen.put(kind, List.copyOf(list)));
            return Collections.unmodifiableMap(frozen);
        }
    }
}
