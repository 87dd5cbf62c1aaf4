package dev.jccl.algo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Index maths of the hierarchical algorithms, free of I/O so it can be tested on its own: which
 * ranks share a host, and the three groups the algorithms run their phases in.
 *
 * <p>Hosts are numbered in order of their lowest rank; inside a host, ranks keep the world order,
 * so a rank's <em>local index</em> is its position among its host's ranks. From the host names
 * every rank published (the same array on every rank) every rank derives the same groups:
 * <ul>
 * <li><b>local</b>: the ranks of this rank's host (shared memory between them);</li>
 * <li><b>leaders</b>: local index 0 of every host, in host order (one network ring);</li>
 * <li><b>peers</b>: the ranks with this rank's local index on every host that has one, in host
 *     order (when every host has the same number of ranks, one network ring per local index,
 *     all running at once on their own slice).</li>
 * </ul>
 */
public final class HierarchyPattern
{
    private final int rank;
    private final int[] hostOf;
    private final int[][] ranksOfHost;
    private final int[] local;
    private final int[] leaders;
    private final int[] peers;
    private final boolean uniform;

    /**
     * @param hosts the host name of every rank, indexed by rank.
     * @param rank  this rank.
     */
    public HierarchyPattern(final String[] hosts, final int rank)
    {
        if (hosts.length == 0)
        {
            throw new IllegalArgumentException("no ranks");
        }
        if (rank < 0 || rank >= hosts.length)
        {
            throw new IllegalArgumentException("rank " + rank + " is not one of " + hosts.length);
        }
        final Map<String, List<Integer>> byHost = new LinkedHashMap<>();
        for (int r = 0; r < hosts.length; r++)
        {
            if (hosts[r] == null)
            {
                throw new IllegalArgumentException("rank " + r + " published no host name");
            }
            byHost.computeIfAbsent(hosts[r], h -> new ArrayList<>()).add(r);
        }
        this.rank = rank;
        this.hostOf = new int[hosts.length];
        this.ranksOfHost = new int[byHost.size()][];
        int h = 0;
        for (final List<Integer> ranks : byHost.values())
        {
            ranksOfHost[h] = ranks.stream().mapToInt(Integer::intValue).toArray();
            for (final int r : ranksOfHost[h])
            {
                hostOf[r] = h;
            }
            h++;
        }
        this.local = ranksOfHost[hostOf[rank]];
        this.leaders = Arrays.stream(ranksOfHost).mapToInt(ranks -> ranks[0]).toArray();
        final int localIndex = localIndex(rank);
        this.peers = Arrays.stream(ranksOfHost).filter(ranks -> ranks.length > localIndex).mapToInt(ranks -> ranks[localIndex]).toArray();
        this.uniform = Arrays.stream(ranksOfHost).allMatch(ranks -> ranks.length == ranksOfHost[0].length);
    }

    public int rank()
    {
        return rank;
    }

    public int size()
    {
        return hostOf.length;
    }

    public int hostCount()
    {
        return ranksOfHost.length;
    }

    /** Host index of {@code r}. */
    public int hostOf(final int r)
    {
        return hostOf[r];
    }

    /** Position of {@code r} among its host's ranks. */
    public int localIndex(final int r)
    {
        final int[] ranks = ranksOfHost[hostOf[r]];
        for (int i = 0; i < ranks.length; i++)
        {
            if (ranks[i] == r)
            {
                return i;
            }
        }
        throw new IllegalStateException("rank " + r + " missing from its host");
    }

    /** Ranks on host {@code host}, in world order (a copy). */
    public int[] ranksOf(final int host)
    {
        return ranksOfHost[host].clone();
    }

    /** The most ranks any host has. */
    public int maxRanksPerHost()
    {
        return Arrays.stream(ranksOfHost).mapToInt(ranks -> ranks.length).max().orElse(0);
    }

    /** Whether every host has the same number of ranks (the peers groups then cover every rank). */
    public boolean uniform()
    {
        return uniform;
    }

    /**
     * Whether a hierarchy pays: more than one host, and some host with more than one rank. With
     * one host there is nothing to cross; with one rank per host there is nothing to share.
     */
    public boolean worthwhile()
    {
        return hostCount() > 1 && maxRanksPerHost() > 1;
    }

    /** This rank's host's ranks (world ranks, world order; shared, do not modify). */
    int[] local()
    {
        return local;
    }

    /** Local index 0 of every host, in host order (shared, do not modify). */
    int[] leaders()
    {
        return leaders;
    }

    /** This rank's local index on every host that has it, in host order (shared, do not modify). */
    int[] peers()
    {
        return peers;
    }

    /** Index of {@code r} in {@code group}, or -1. */
    static int indexIn(final int[] group, final int r)
    {
        for (int i = 0; i < group.length; i++)
        {
            if (group[i] == r)
            {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString()
    {
        return hostCount() + " host(s) x " + Arrays.deepToString(ranksOfHost);
    }
}
