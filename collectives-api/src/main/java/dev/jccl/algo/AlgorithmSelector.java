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
 * <p>Each collective has an ordered list of rules {@code [from, to) x ranks -> algorithm}; the first
 * rule whose size range and world-size range hold the call wins. The defaults ({@link DefaultRules})
 * come last; a tuning string's rules go in front of the existing ones in the order written, so a
 * later {@code withTuning} or {@code force} overrides an earlier one, and a gap in a tuning
 * string's ranges falls through to the defaults.
 *
 * <p>Tuning string ({@code JCCL_ALGO}): comma-separated {@code kind[@ranks]:name} (all sizes) or
 * {@code kind[@ranks]:from-to:name}, for example
 * {@code allreduce:0-16k:rd,allreduce:16k-inf:ring,broadcast:chain} or
 * {@code allreduce@2:0-4m:rd,allreduce@3-inf:0-256k:rd}. Sizes are bytes with optional suffix k, m,
 * g (KiB, MiB, GiB; case-insensitive, optional trailing "b"/"ib"); {@code to} may be {@code inf};
 * {@code from} is inclusive and {@code to} exclusive. {@code @ranks} limits a rule to world sizes
 * {@code N}, {@code N-M} (both inclusive) or {@code N-inf}; without it a rule holds for every world
 * size. Kinds: {@code allreduce|broadcast|allgather|reducescatter|reduce|barrier}.
 *
 * <p>The size each lookup compares: allreduce, broadcast and reduce the message bytes; allgather
 * the total gathered bytes; reduce-scatter the bytes of one block; barrier 0.
 */
public final class AlgorithmSelector
{
    /** The environment variable the tuning string comes from; named in every parse error. */
    public static final String ENV = "JCCL_ALGO";

    /** The generic defaults' switch points (all world sizes); TCP's measured table is {@link DefaultRules#TCP}. */
    public static final long ALL_REDUCE_RD_BELOW = DefaultRules.GENERIC_ALL_REDUCE_RD_BELOW;
    public static final long ALL_GATHER_BRUCK_BELOW = DefaultRules.GENERIC_ALL_GATHER_BRUCK_BELOW;
    public static final long BROADCAST_BINOMIAL_BELOW = DefaultRules.GENERIC_BROADCAST_BINOMIAL_BELOW;
    public static final long REDUCE_BINOMIAL_BELOW = DefaultRules.GENERIC_REDUCE_BINOMIAL_BELOW;
    /**
     * On a communicator whose ranks span hosts with several ranks on some host
     * ({@link HierarchyPattern#worthwhile()}), allreduce from this size and broadcast from
     * {@link #BROADCAST_BINOMIAL_BELOW} use the hierarchical algorithms (see {@link #forHierarchy}).
     * Below it the flat recursive doubling's two rounds beat the hierarchy's four dependent phases.
     * Allgather (total bytes) and reduce-scatter (block bytes times ranks) switch at the same
     * vector size: not measured for them on their own, only carried over from allreduce.
     */
    public static final long ALL_REDUCE_HIER_FROM = 512 * 1024;

    static final long INF = Long.MAX_VALUE;
    /** World-size bound meaning "no upper bound". */
    static final int ANY_RANKS = Integer.MAX_VALUE;
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmg])?(i?b)?", Pattern.CASE_INSENSITIVE);

    private final AlgorithmRegistry registry;
    private final Map<CollectiveKind, List<Rule>> rules;
    /** Per kind, how many leading rules came from tuning or {@link #force}: they keep priority over topology defaults. */
    private final Map<CollectiveKind, Integer> tunedRules;

    /**
     * One rule: sizes in {@code [from, to)} (to = {@link Long#MAX_VALUE}: unbounded) on world sizes
     * {@code [minRanks, maxRanks]} (maxRanks = {@link Integer#MAX_VALUE}: unbounded) use {@code algorithm}.
     */
    public record Rule(long from, long to, int minRanks, int maxRanks, Algorithm algorithm)
    {
        /** A rule for every world size. */
        public Rule(final long from, final long to, final Algorithm algorithm)
        {
            this(from, to, 1, ANY_RANKS, algorithm);
        }

        public boolean matches(final long bytes, final int worldSize)
        {
            return bytes >= from && (to == INF || bytes < to) && worldSize >= minRanks && worldSize <= maxRanks;
        }

        /** "" for every world size, else "@2", "@3-4" or "@5-inf". */
        public String ranksQualifier()
        {
            if (minRanks <= 1 && maxRanks == ANY_RANKS)
            {
                return "";
            }
            if (minRanks == maxRanks)
            {
                return "@" + minRanks;
            }
            return "@" + minRanks + "-" + (maxRanks == ANY_RANKS ? "inf" : Integer.toString(maxRanks));
        }

        /** The tuning-string tail after the kind: {@code @2:0-4m:rd}, or {@code :0-512k:rd} for every world size. */
        @Override
        public String toString()
        {
            return ranksQualifier() + ":" + formatSize(from) + "-" + (to == INF ? "inf" : formatSize(to)) + ":" + algorithm.name();
        }
    }

    /** The generic defaults ({@link DefaultRules#GENERIC}) over {@code registry}, which must hold the built-in names. */
    public AlgorithmSelector(final AlgorithmRegistry registry)
    {
        this(registry, DefaultRules.GENERIC);
    }

    /** {@code defaults} over {@code registry}, which must hold the built-in names. */
    public AlgorithmSelector(final AlgorithmRegistry registry, final DefaultRules defaults)
    {
        this(registry, defaults.rules(registry), Map.of());
    }

    private AlgorithmSelector(
        final AlgorithmRegistry registry, final Map<CollectiveKind, List<Rule>> rules, final Map<CollectiveKind, Integer> tunedRules)
    {
        this.registry = registry;
        this.rules = rules;
        this.tunedRules = tunedRules;
    }

    /**
     * This selector for a communicator laid out as {@code hierarchy}: when a hierarchy pays
     * ({@link HierarchyPattern#worthwhile()}), allreduce and allgather from
     * {@link #ALL_REDUCE_HIER_FROM} bytes, reduce-scatter from blocks whose vector is that large
     * (block bytes are what its rules compare) and broadcast from
     * {@link #BROADCAST_BINOMIAL_BELOW} go to the hierarchical algorithms. These
     * rules go behind the tuning string's and in front of the built-in defaults, so
     * {@code JCCL_ALGO} still decides. Otherwise (or null) this selector.
     */
    public AlgorithmSelector forHierarchy(final HierarchyPattern hierarchy)
    {
        if (hierarchy == null || !hierarchy.worthwhile())
        {
            return this;
        }
        final EnumMap<CollectiveKind, List<Rule>> merged = new EnumMap<>(CollectiveKind.class);
        merged.putAll(rules);
        insertAfterTuned(merged, CollectiveKind.ALL_REDUCE, ALL_REDUCE_HIER_FROM, HierarchicalAllReduce.NAME);
        insertAfterTuned(merged, CollectiveKind.BROADCAST, BROADCAST_BINOMIAL_BELOW, HierarchicalBroadcast.NAME);
        insertAfterTuned(merged, CollectiveKind.ALL_GATHER, ALL_REDUCE_HIER_FROM, HierarchicalAllGather.NAME);
        insertAfterTuned(merged, CollectiveKind.REDUCE_SCATTER, reduceScatterHierFrom(hierarchy.size()), HierarchicalReduceScatter.NAME);
        return new AlgorithmSelector(registry, Collections.unmodifiableMap(merged), tunedRules);
    }

    /** The block bytes from which {@code ranks} blocks make a vector of {@link #ALL_REDUCE_HIER_FROM} bytes. */
    static long reduceScatterHierFrom(final int ranks)
    {
        return (ALL_REDUCE_HIER_FROM + ranks - 1) / ranks;
    }

    private void insertAfterTuned(final Map<CollectiveKind, List<Rule>> merged, final CollectiveKind kind, final long from, final String name)
    {
        final Algorithm algorithm = registry.find(kind, name);
        if (algorithm == null)
        {
            return;
        }
        final List<Rule> list = new ArrayList<>(merged.getOrDefault(kind, List.of()));
        list.add(tunedRules.getOrDefault(kind, 0), new Rule(from, INF, algorithm));
        merged.put(kind, List.copyOf(list));
    }

    /** The built-in algorithms with the generic defaults, then {@code tuning} (null or blank: defaults only). */
    public static AlgorithmSelector fromTuning(final String tuning)
    {
        return fromTuning(DefaultRules.GENERIC, tuning);
    }

    /** The built-in algorithms with {@code defaults}, then {@code tuning} (null or blank: defaults only). */
    public static AlgorithmSelector fromTuning(final DefaultRules defaults, final String tuning)
    {
        return new AlgorithmSelector(AlgorithmRegistry.builtIn(), defaults).withTuning(tuning);
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
                throw bad(tuning, "entry '" + entry + "' is not kind[@ranks]:name or kind[@ranks]:from-to:name" +
                    " (kinds: " + AlgorithmRegistry.kindNames() + "; for example allreduce:0-16k:rd or allreduce@2:0-4m:rd)");
            }
            final String kindPart = parts[0].trim();
            final int at = kindPart.indexOf('@');
            final String kindName = at < 0 ? kindPart : kindPart.substring(0, at).trim();
            final CollectiveKind kind = AlgorithmRegistry.findKind(kindName);
            if (kind == null)
            {
                throw bad(tuning, "unknown collective '" + kindName + "' in '" + entry +
                    "' (valid: " + AlgorithmRegistry.kindNames() + ")");
            }
            int minRanks = 1;
            int maxRanks = ANY_RANKS;
            if (at >= 0)
            {
                final int[] ranks = parseRanks(tuning, entry, kindPart.substring(at + 1).trim());
                minRanks = ranks[0];
                maxRanks = ranks[1];
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
            added.computeIfAbsent(kind, k -> new ArrayList<>()).add(new Rule(from, to, minRanks, maxRanks, algorithm));
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
            if (rule.matches(bytes, worldSize))
            {
                return rule.algorithm();
            }
        }
        throw new IllegalStateException("no " + AlgorithmRegistry.kindName(kind) + " algorithm for " + bytes + " bytes on " +
            worldSize + " ranks");
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

    /** Every rule in tuning-string form, in the order tried: {@code allreduce@2:0-4m:rd,...}. */
    @Override
    public String toString()
    {
        final StringJoiner j = new StringJoiner(",");
        for (final CollectiveKind kind : CollectiveKind.values())
        {
            for (final Rule rule : rules(kind))
            {
                j.add(AlgorithmRegistry.kindName(kind) + rule);
            }
        }
        return j.toString();
    }

    private AlgorithmSelector prepend(final Map<CollectiveKind, List<Rule>> added)
    {
        final EnumMap<CollectiveKind, List<Rule>> merged = new EnumMap<>(CollectiveKind.class);
        final EnumMap<CollectiveKind, Integer> tuned = new EnumMap<>(CollectiveKind.class);
        for (final CollectiveKind kind : CollectiveKind.values())
        {
            final List<Rule> list = new ArrayList<>(added.getOrDefault(kind, List.of()));
            list.addAll(rules.getOrDefault(kind, List.of()));
            if (!list.isEmpty())
            {
                merged.put(kind, List.copyOf(list));
            }
            tuned.put(kind, added.getOrDefault(kind, List.of()).size() + tunedRules.getOrDefault(kind, 0));
        }
        return new AlgorithmSelector(registry, Collections.unmodifiableMap(merged), Collections.unmodifiableMap(tuned));
    }

    private static final String RANGE_HELP =
        " (expected from-to with sizes such as 0, 512, 16k, 4m, 1g, and 'inf' as the upper bound)";

    private static final String RANKS_HELP = " (expected @N, @N-M or @N-inf with world sizes >= 1, for example allreduce@2:0-4m:rd)";

    /** {@code N}, {@code N-M} or {@code N-inf} into {min, max} (both inclusive). */
    private static int[] parseRanks(final String tuning, final String entry, final String text)
    {
        final int dash = text.indexOf('-');
        final String low = dash < 0 ? text : text.substring(0, dash).trim();
        final String high = dash < 0 ? text : text.substring(dash + 1).trim();
        final int min = parseRankCount(tuning, entry, text, low, false);
        final int max = parseRankCount(tuning, entry, text, high, true);
        if (min > max)
        {
            throw bad(tuning, "empty world-size range '@" + text + "' in '" + entry + "' (the first must not exceed the second)");
        }
        return new int[] { min, max };
    }

    private static int parseRankCount(final String tuning, final String entry, final String range, final String text, final boolean allowInf)
    {
        if (allowInf && text.equalsIgnoreCase("inf"))
        {
            return ANY_RANKS;
        }
        if (text.isEmpty() || !text.chars().allMatch(Character::isDigit) || text.length() > 9 || Integer.parseInt(text) < 1)
        {
            throw bad(tuning, "bad world-size range '@" + range + "' in '" + entry + "'" + RANKS_HELP);
        }
        return Integer.parseInt(text);
    }

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
