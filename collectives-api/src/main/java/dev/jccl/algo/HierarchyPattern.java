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
 *
 * <p>The allgather and reduce-scatter move whole rank blocks, which sit in world order in the
 * caller's buffer. Their phases want other orders, in which a group's blocks are contiguous:
 * <ul>
 * <li><b>slice order</b> (every host with the same number of ranks): local index major, host
 *     minor, so position {@code j * hostCount + h} holds the block of host {@code h}'s local rank
 *     {@code j}. The blocks of one peers group are then adjacent, and so are the blocks one local
 *     rank carries inside its host (its slice);</li>
 * <li><b>host order</b>: host major, local index minor, so each host's blocks are adjacent.</li>
 * </ul>
 * When hosts hold consecutive ranks host order is world order; when ranks are dealt to hosts in
 * turn slice order is; the algorithms copy blocks only when the order they need is not.
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
    /** Slice-order position to world rank; null when hosts differ in rank count. */
    private final int[] sliceOrder;
    /** Host-order position to world rank. */
    private final int[] hostOrder;

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
        this.hostOrder = Arrays.stream(ranksOfHost).flatMapToInt(Arrays::stream).toArray();
        this.sliceOrder = uniform ? sliceOrder(ranksOfHost) : null;
    }

    private static int[] sliceOrder(final int[][] ranksOfHost)
    {
        final int hosts = ranksOfHost.length;
        final int perHost = ranksOfHost[0].length;
        final int[] order = new int[hosts * perHost];
        for (int j = 0; j < perHost; j++)
        {
            for (int h = 0; h < hosts; h++)
            {
                order[j * hosts + h] = ranksOfHost[h][j];
            }
        }
        return order;
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

    /** How many ranks host {@code host} has. */
    public int ranksOnHost(final int host)
    {
        return ranksOfHost[host].length;
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

    /**
     * The world rank whose block sits at {@code position} in slice order (see the class comment).
     *
     * @throws IllegalStateException when hosts differ in rank count (there is no slice order).
     */
    public int rankAtSlicePosition(final int position)
    {
        return sliceOrder()[position];
    }

    /** Slice-order position of world rank {@code r}'s block: its local index times the host count plus its host. */
    public int slicePosition(final int r)
    {
        sliceOrder();
        return localIndex(r) * hostCount() + hostOf(r);
    }

    /** Whether slice order is world order, so blocks can stay where they are. */
    public boolean sliceOrderIsWorldOrder()
    {
        return isIdentity(sliceOrder());
    }

    /** The world rank whose block sits at {@code position} in host order (see the class comment). */
    public int rankAtHostPosition(final int position)
    {
        return hostOrder[position];
    }

    /** Host-order position of the first block of {@code host}: the rank count of the hosts before it. */
    public int hostPosition(final int host)
    {
        int position = 0;
        for (int h = 0; h < host; h++)
        {
            position += ranksOfHost[h].length;
        }
        return position;
    }

    /** Whether host order is world order (every host holds consecutive ranks). */
    public boolean hostOrderIsWorldOrder()
    {
        return isIdentity(hostOrder);
    }

    private int[] sliceOrder()
    {
        if (sliceOrder == null)
        {
            throw new IllegalStateException("hosts differ in rank count, so there is no slice order: " + this);
        }
        return sliceOrder;
    }

    private static boolean isIdentity(final int[] order)
    {
        for (int i = 0; i < order.length; i++)
        {
            if (order[i] != i)
            {
                return false;
            }
        }
        return true;
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
