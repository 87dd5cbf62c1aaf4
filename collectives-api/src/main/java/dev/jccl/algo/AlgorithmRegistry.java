package dev.jccl.algo;

import dev.jccl.wire.CollectiveKind;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The algorithms known per collective, by name. Immutable: {@link #with} returns a new registry.
 * Kind strings are {@code allreduce|broadcast|allgather|reducescatter|reduce|barrier}; case,
 * '_' and '-' are ignored, so {@code all_reduce} and {@code allReduce} work too.
 */
public final class AlgorithmRegistry
{
    private static final AlgorithmRegistry BUILT_IN = new AlgorithmRegistry(new EnumMap<>(CollectiveKind.class))
        .with(CollectiveKind.ALL_REDUCE, new RingAllReduce())
        .with(CollectiveKind.ALL_REDUCE, new RecursiveDoublingAllReduce())
        .with(CollectiveKind.ALL_REDUCE, new HalvingDoublingAllReduce())
        .with(CollectiveKind.ALL_REDUCE, new HierarchicalAllReduce())
        .with(CollectiveKind.ALL_REDUCE, new HostLeaderAllReduce())
        .with(CollectiveKind.ALL_GATHER, new RingAllGather())
        .with(CollectiveKind.ALL_GATHER, new BruckAllGather())
        .with(CollectiveKind.ALL_GATHER, new HierarchicalAllGather())
        .with(CollectiveKind.REDUCE_SCATTER, new RingReduceScatter())
        .with(CollectiveKind.REDUCE_SCATTER, new HierarchicalReduceScatter())
        .with(CollectiveKind.BROADCAST, new BinomialBroadcast())
        .with(CollectiveKind.BROADCAST, new ChainBroadcast())
        .with(CollectiveKind.BROADCAST, new HierarchicalBroadcast())
        .with(CollectiveKind.REDUCE, new BinomialReduce())
        .with(CollectiveKind.REDUCE, new RingReduce())
        .with(CollectiveKind.BARRIER, new DisseminationBarrier());

    private final Map<CollectiveKind, List<Algorithm>> byKind;

    private AlgorithmRegistry(final Map<CollectiveKind, List<Algorithm>> byKind)
    {
        this.byKind = byKind;
    }

    /** Every algorithm in this package. */
    public static AlgorithmRegistry builtIn()
    {
        return BUILT_IN;
    }

    /** The interface an algorithm for {@code kind} must implement. */
    public static Class<? extends Algorithm> algorithmType(final CollectiveKind kind)
    {
        switch (kind)
        {
            case ALL_REDUCE: return AllReduceAlgorithm.class;
            case BROADCAST: return BroadcastAlgorithm.class;
            case ALL_GATHER: return AllGatherAlgorithm.class;
            case REDUCE_SCATTER: return ReduceScatterAlgorithm.class;
            case REDUCE: return ReduceAlgorithm.class;
            case BARRIER: return BarrierAlgorithm.class;
            default: throw new IllegalArgumentException("unknown collective " + kind);
        }
    }

    /** The short kind name used in {@code JCCL_ALGO}: "allreduce", "reducescatter", ... */
    public static String kindName(final CollectiveKind kind)
    {
        return kind.apiName().toLowerCase(Locale.ROOT);
    }

    /** @return the kind, or null when {@code name} names none. */
    public static CollectiveKind findKind(final String name)
    {
        if (name == null)
        {
            return null;
        }
        final String key = name.trim().replace("_", "").replace("-", "").toLowerCase(Locale.ROOT);
        for (final CollectiveKind kind : CollectiveKind.values())
        {
            if (kindName(kind).equals(key))
            {
                return kind;
            }
        }
        return null;
    }

    /** @throws IllegalArgumentException naming the valid kinds when {@code name} names none. */
    public static CollectiveKind parseKind(final String name)
    {
        final CollectiveKind kind = findKind(name);
        if (kind == null)
        {
            throw new IllegalArgumentException("unknown collective '" + name + "' (valid: " + kindNames() + ")");
        }
        return kind;
    }

    /** "allreduce, broadcast, allgather, reducescatter, reduce, barrier". */
    public static String kindNames()
    {
        final StringJoiner j = new StringJoiner(", ");
        for (final CollectiveKind kind : CollectiveKind.values())
        {
            j.add(kindName(kind));
        }
        return j.toString();
    }

    /**
     * A registry with {@code algorithm} added for {@code kind} (replacing one of the same name).
     *
     * @throws IllegalArgumentException when it does not implement {@link #algorithmType(CollectiveKind)}.
     */
    public AlgorithmRegistry with(final CollectiveKind kind, final Algorithm algorithm)
    {
        if (!algorithmType(kind).isInstance(algorithm))
        {
            throw new IllegalArgumentException(algorithm.getClass().getName() + " is not a " + algorithmType(kind).getSimpleName());
        }
        final EnumMap<CollectiveKind, List<Algorithm>> copy = new EnumMap<>(CollectiveKind.class);
        copy.putAll(byKind);
        final List<Algorithm> list = new ArrayList<>(byKind.getOrDefault(kind, List.of()));
        list.removeIf(a -> a.name().equals(algorithm.name()));
        list.add(algorithm);
        copy.put(kind, Collections.unmodifiableList(list));
        return new AlgorithmRegistry(copy);
    }

    /** @return the algorithm, or null when none has that name. */
    public Algorithm find(final CollectiveKind kind, final String name)
    {
        for (final Algorithm a : list(kind))
        {
            if (a.name().equalsIgnoreCase(name == null ? "" : name.trim()))
            {
                return a;
            }
        }
        return null;
    }

    /** @throws IllegalArgumentException naming the valid algorithms when none has that name. */
    public Algorithm lookup(final CollectiveKind kind, final String name)
    {
        final Algorithm a = find(kind, name);
        if (a == null)
        {
            throw new IllegalArgumentException(
                "unknown " + kindName(kind) + " algorithm '" + name + "' (valid: " + String.join(", ", names(kind)) + ")");
        }
        return a;
    }

    /** Lookup by kind string, for example {@code lookup("allreduce", "ring")}. */
    public Algorithm lookup(final String kind, final String name)
    {
        return lookup(parseKind(kind), name);
    }

    public boolean contains(final CollectiveKind kind, final String name)
    {
        return find(kind, name) != null;
    }

    /** The algorithms for {@code kind}, in registration order (unmodifiable). */
    public List<Algorithm> list(final CollectiveKind kind)
    {
        return byKind.getOrDefault(kind, List.of());
    }

    public List<Algorithm> list(final String kind)
    {
        return list(parseKind(kind));
    }

    /** The names for {@code kind}, in registration order. */
    public List<String> names(final CollectiveKind kind)
    {
        final List<String> names = new ArrayList<>();
        for (final Algorithm a : list(kind))
        {
            names.add(a.name());
        }
        return names;
    }

    /** Every kind with its algorithms, in {@link CollectiveKind} order (unmodifiable). */
    public Map<CollectiveKind, List<Algorithm>> all()
    {
        final EnumMap<CollectiveKind, List<Algorithm>> copy = new EnumMap<>(CollectiveKind.class);
        for (final CollectiveKind kind : CollectiveKind.values())
        {
            copy.put(kind, list(kind));
        }
        return Collections.unmodifiableMap(copy);
    }

    /** The {@code --list-algos} text: one line per algorithm, "kind name  description". */
    public String describe()
    {
        final StringBuilder sb = new StringBuilder();
        for (final CollectiveKind kind : CollectiveKind.values())
        {
            for (final Algorithm a : list(kind))
            {
                sb.append(String.format(Locale.ROOT, "%-14s %-14s %s%n", kindName(kind), a.name(), a.description()));
            }
        }
        return sb.toString();
    }
}
