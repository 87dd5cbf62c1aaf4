package dev.jccl.algo;

import dev.jccl.wire.CollectiveKind;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Picks the algorithm for one call from (collective, message size, world size). Immutable:
 * {@link #withTuning} and {@link #force} return new selectors.
 *
 * <p>Each collective has an ordered list of rules {@code [from, to) -> algorithm}; the first rule
 * whose range holds the size wins. The defaults come last; a tuning string's rules go in front of
 * the existing ones in the order written, so a later {@code withTuning} or {@code force} overrides
 * an earlier one, and a gap in a tuning string's ranges falls through to the defaults.
 *
 * <p>Tuning string ({@code JCCL_ALGO}): comma-separated {@code kind:name} (all sizes) or
 * {@code kind:from-to:name}, for example {@code allreduce:0-16k:rd,allreduce:16k-inf:ring,broadcast:chain}.
 * Sizes are bytes with optional suffix k, m, g (KiB, MiB, GiB; case-insensitive, optional
 * trailing "b"/"ib"); {@code to} may be {@code inf}; {@code from} is inclusive and {@code to}
 * exclusive. Kinds: {@code allreduce|broadcast|allgather|reducescatter|reduce|barrier}.
 *
 * <p>The size each lookup compares: allreduce, broadcast and reduce the message bytes; allgather
 * the total gathered bytes; reduce-scatter the bytes of one block; barrier 0.
 */
public final class AlgorithmSelector
{
    /** The environment variable the tuning string comes from; named in every parse error. */
    public static final String ENV = "JCCL_ALGO";

    /**
     * Recursive doubling below this many bytes. At n=2 it is one exchange of the whole vector where
     * the ring needs two dependent exchanges of half, and on loopback a round trip (two ranks being
     * scheduled) costs more than moving 512 KiB; jccl-perf np=2 runs on the 2-core machine had rd
     * ahead of ring from 64 KiB to 1-2 MiB (bench/RESULTS.md, "Thresholds"). At n=4 and 8 rd sends
     * log2(n) x the vector against the ring's 2(n-1)/n, but in 2-3 rounds against 6-14, which
     * still wins at 512 KiB on loopback latencies of tens of microseconds.
     */
    public static final long ALL_REDUCE_RD_BELOW = 512 * 1024;
    public static final long ALL_GATHER_BRUCK_BELOW = 32 * 1024;
    public static final long BROADCAST_BINOMIAL_BELOW = 64 * 1024;
    public static final long REDUCE_BINOMIAL_BELOW = 64 * 1024;

    private static final long INF = Long.MAX_VALUE;
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmg])?(i?b)?", Pattern.CASE_INSENSITIVE);

    private final AlgorithmRegistry registry;
    private final Map<CollectiveKind, List<Rule>> rules;

    /** One rule: sizes in {@code [from, to)} (to = {@link Long#MAX_VALUE}: unbounded) use {@code algorithm}. */
    public record Rule(long from, long to, Algorithm algorithm)
    {
        public boolean matches(final long bytes)
        {
            return bytes >= from && (to == INF || bytes < to);
        }

        @Override
        public String toString()
        {
            return formatSize(from) + "-" + (to == INF ? "inf" : formatSize(to)) + ":" + algorithm.name();
        }
    }

    /** The defaults over {@code registry}, which must hold the built-in names. */
    public AlgorithmSelector(final AlgorithmRegistry registry)
    {
        this.registry = registry;
        final EnumMap<CollectiveKind, List<Rule>> defaults = new EnumMap<>(CollectiveKind.class);
        defaults.put(CollectiveKind.ALL_REDUCE, List.of(
            new Rule(0, ALL_REDUCE_RD_BELOW, registry.lookup(CollectiveKind.ALL_REDUCE, RecursiveDoublingAllReduce.NAME)),
            new Rule(ALL_REDUCE_RD_BELOW, INF, registry.lookup(CollectiveKind.ALL_REDUCE, RingAllReduce.NAME))));
        defaults.put(CollectiveKind.ALL_GATHER, List.of(
            new Rule(0, ALL_GATHER_BRUCK_BELOW, registry.lookup(CollectiveKind.ALL_GATHER, BruckAllGather.NAME)),
            new Rule(ALL_GATHER_BRUCK_BELOW, INF, registry.lookup(CollectiveKind.ALL_GATHER, RingAllGather.NAME))));
        defaults.put(CollectiveKind.BROADCAST, List.of(
            new Rule(0, BROADCAST_BINOMIAL_BELOW, registry.lookup(CollectiveKind.BROADCAST, BinomialBroadcast.NAME)),
            new Rule(BROADCAST_BINOMIAL_BELOW, INF, registry.lookup(CollectiveKind.BROADCAST, ChainBroadcast.NAME))));
        defaults.put(CollectiveKind.REDUCE, List.of(
            new Rule(0, REDUCE_BINOMIAL_BELOW, registry.lookup(CollectiveKind.REDUCE, BinomialReduce.NAME)),
            new Rule(REDUCE_BINOMIAL_BELOW, INF, registry.lookup(CollectiveKind.REDUCE, RingReduce.NAME))));
        defaults.put(CollectiveKind.REDUCE_SCATTER, List.of(
            new Rule(0, INF, registry.lookup(CollectiveKind.REDUCE_SCATTER, RingReduceScatter.NAME))));
        defaults.put(CollectiveKind.BARRIER, List.of(
            new Rule(0, INF, registry.lookup(CollectiveKind.BARRIER, DisseminationBarrier.NAME))));
        this.rules = Collections.unmodifiableMap(defaults);
    }

    private AlgorithmSelector(final AlgorithmRegistry registry, final Map<CollectiveKind, List<Rule>> rules)
    {
        this.registry = registry;
        this.rules = rules;
    }

    /** The built-in algorithms with the defaults, then {@code tuning} (null or blank: defaults only). */
    public static AlgorithmSelector fromTuning(final String tuning)
    {
        return new AlgorithmSelector(AlgorithmRegistry.builtIn()).withTuning(tuning);
    }

    public AlgorithmRegistry registry()
    {
        return registry;
    }

    /**
     * This selector with {@code tuning}'s rules in front (null or blank: this selector).
     *
     * @throws IllegalArgumentException naming {@value #ENV}, the bad part and the valid choices.
     */
    public AlgorithmSelector withTuning(final String tuning)
    {
        if (tuning == null || tuning.isBlank())
        {
            return this;
        }
        final EnumMap<CollectiveKind, List<Rule>> added = new EnumMap<>(CollectiveKind.class);
        for (final String raw : tuning.split(",", -1))
        {
            final String entry = raw.trim();
            if (entry.isEmpty())
            {
                continue;
            }
            final String[] parts = entry.split(":", -1);
            if (parts.length != 2 && parts.length != 3)
            {
                throw bad(tuning, "entry '" + entry + "' is not kind:name or kind:from-to:name" +
                    " (kinds: " + AlgorithmRegistry.kindNames() + "; for example allreduce:0-16k:rd)");
            }
            final CollectiveKind kind = AlgorithmRegistry.findKind(parts[0]);
            if (kind == null)
            {
                throw bad(tuning, "unknown collective '" + parts[0].trim() + "' in '" + entry +
                    "' (valid: " + AlgorithmRegistry.kindNames() + ")");
            }
            final String name = parts[parts.length - 1].trim();
            final Algorithm algorithm = registry.find(kind, name);
            if (algorithm == null)
            {
                throw bad(tuning, "unknown " + AlgorithmRegistry.kindName(kind) + " algorithm '" + name + "' in '" + entry +
                    "' (valid: " + String.join(", ", registry.names(kind)) + ")");
            }
            long from = 0;
            long to = INF;
            if (parts.length == 3)
            {
                final String range = parts[1].trim();
                final int dash = range.indexOf('-');
                if (dash < 0 || range.indexOf('-', dash + 1) >= 0)
                {
                    throw bad(tuning, "bad size range '" + range + "' in '" + entry + "'" + RANGE_HELP);
                }
                from = parseSize(tuning, entry, range.substring(0, dash).trim(), false);
                to = parseSize(tuning, entry, range.substring(dash + 1).trim(), true);
                if (from >= to)
                {
                    throw bad(tuning, "empty size range '" + range + "' in '" + entry + "' (from must be below to)");
                }
            }
            added.computeIfAbsent(kind, k -> new ArrayList<>()).add(new Rule(from, to, algorithm));
        }
        return prepend(added);
    }

    /** This selector with every size of {@code kind} going to {@code name}. */
    public AlgorithmSelector force(final CollectiveKind kind, final String name)
    {
        final EnumMap<CollectiveKind, List<Rule>> added = new EnumMap<>(CollectiveKind.class);
        added.put(kind, List.of(new Rule(0, INF, registry.lookup(kind, name))));
        return prepend(added);
    }

    /** {@link #force(CollectiveKind, String)} with a kind string such as "allreduce". */
    public AlgorithmSelector force(final String kind, final String name)
    {
        return force(AlgorithmRegistry.parseKind(kind), name);
    }

    /** The algorithm for {@code kind} at {@code bytes} (see the class comment for what size means). */
    public Algorithm select(final CollectiveKind kind, final long bytes, final int worldSize)
    {
        if (worldSize < 1)
        {
            throw new IllegalArgumentException("world size must be >= 1: " + worldSize);
        }
        if (bytes < 0)
        {
            throw new IllegalArgumentException("size must be >= 0: " + bytes);
        }
        final List<Rule> list = rules.getOrDefault(kind, List.of());
        for (int i = 0, size = list.size(); i < size; i++)  // indexed: no iterator per call
        {
            final Rule rule = list.get(i);
            if (rule.matches(bytes))
            {
                return rule.algorithm();
            }
        }
        throw new IllegalStateException("no " + AlgorithmRegistry.kindName(kind) + " algorithm for " + bytes + " bytes");
    }

    public AllReduceAlgorithm allReduce(final long bytes, final int worldSize)
    {
        return (AllReduceAlgorithm)select(CollectiveKind.ALL_REDUCE, bytes, worldSize);
    }

    public BroadcastAlgorithm broadcast(final long bytes, final int worldSize)
    {
        return (BroadcastAlgorithm)select(CollectiveKind.BROADCAST, bytes, worldSize);
    }

    public AllGatherAlgorithm allGather(final long totalBytes, final int worldSize)
    {
        return (AllGatherAlgorithm)select(CollectiveKind.ALL_GATHER, totalBytes, worldSize);
    }

    public ReduceScatterAlgorithm reduceScatter(final long blockBytes, final int worldSize)
    {
        return (ReduceScatterAlgorithm)select(CollectiveKind.REDUCE_SCATTER, blockBytes, worldSize);
    }

    public ReduceAlgorithm reduce(final long bytes, final int worldSize)
    {
        return (ReduceAlgorithm)select(CollectiveKind.REDUCE, bytes, worldSize);
    }

    public BarrierAlgorithm barrier(final int worldSize)
    {
        return (BarrierAlgorithm)select(CollectiveKind.BARRIER, 0, worldSize);
    }

    /** The rules for {@code kind} in the order they are tried (unmodifiable). */
    public List<Rule> rules(final CollectiveKind kind)
    {
        return rules.getOrDefault(kind, List.of());
    }

    /** Every rule in tuning-string form, in the order tried: {@code allreduce:0-512k:rd,...}. */
    @Override
    public String toString()
    {
        final StringJoiner j = new StringJoiner(",");
        for (final CollectiveKind kind : CollectiveKind.values())
        {
            for (final Rule rule : rules(kind))
            {
                j.add(AlgorithmRegistry.kindName(kind) + ":" + rule);
            }
        }
        return j.toString();
    }

    private AlgorithmSelector prepend(final Map<CollectiveKind, List<Rule>> added)
    {
        final EnumMap<CollectiveKind, List<Rule>> merged = new EnumMap<>(CollectiveKind.class);
        for (final CollectiveKind kind : CollectiveKind.values())
        {
            final List<Rule> list = new ArrayList<>(added.getOrDefault(kind, List.of()));
            list.addAll(rules.getOrDefault(kind, List.of()));
            if (!list.isEmpty())
            {
                merged.put(kind, List.copyOf(list));
            }
        }
        return new AlgorithmSelector(registry, Collections.unmodifiableMap(merged));
    }

    private static final String RANGE_HELP =
        " (expected from-to with sizes such as 0, 512, 16k, 4m, 1g, and 'inf' as the upper bound)";

    private static long parseSize(final String tuning, final String entry, final String text, final boolean allowInf)
    {
        if (allowInf && text.equalsIgnoreCase("inf"))
        {
            return INF;
        }
        final Matcher m = SIZE.matcher(text);
        if (!m.matches())
        {
            throw bad(tuning, "bad size '" + text + "' in '" + entry + "'" + RANGE_HELP);
        }
        try
        {
            final long value = Long.parseLong(m.group(1));
            final String unit = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
            final int shift = unit.isEmpty() ? 0 : unit.equals("k") ? 10 : unit.equals("m") ? 20 : 30;
            if (value > (INF - 1) >> shift)
            {
                throw bad(tuning, "size '" + text + "' too large in '" + entry + "'");
            }
            return value << shift;
        }
        catch (final NumberFormatException e)
        {
            throw bad(tuning, "size '" + text + "' too large in '" + entry + "'");
        }
    }

    private static IllegalArgumentException bad(final String tuning, final String what)
    {
        return new IllegalArgumentException(ENV + "='" + tuning + "': " + what);
    }

    static String formatSize(final long bytes)
    {
        if (bytes != 0 && bytes % (1L << 30) == 0)
        {
            return (bytes >> 30) + "g";
        }
        if (bytes != 0 && bytes % (1L << 20) == 0)
        {
            return (bytes >> 20) + "m";
        }
        if (bytes != 0 && bytes % (1L << 10) == 0)
        {
            return (bytes >> 10) + "k";
        }
        return Long.toString(bytes);
    }
}
