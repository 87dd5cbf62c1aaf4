package dev.jccl.spi;

import dev.jccl.store.Store;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The host name every rank published before a transport was chosen: what
 * {@code JCCL_TRANSPORT=auto} needs to tell a one-host job (shared memory) from one that spans
 * hosts, decided from the same data on every rank so every rank picks the same transport.
 */
public final class RankHosts
{
    private final String[] hosts;
    private final int hostCount;

    public RankHosts(final String[] hosts)
    {
        if (hosts.length == 0)
        {
            throw new IllegalArgumentException("no ranks");
        }
        this.hosts = hosts.clone();
        this.hostCount = (int)Arrays.stream(hosts).distinct().count();
    }

    /**
     * Publishes {@code hostName} as rank {@code rank}'s under {@code auto/host/} in {@code store}
     * and reads every rank's, so every rank decides from the same data (null store: one rank).
     */
    public static RankHosts exchange(final Store store, final int rank, final int size, final String hostName, final Duration timeout)
    {
        final String[] hosts = new String[size];
        hosts[rank] = hostName;
        if (store == null || size == 1)
        {
            return new RankHosts(hosts);
        }
        store.set("auto/host/" + rank, hostName.getBytes(StandardCharsets.UTF_8));
        final List<String> keys = new ArrayList<>();
        for (int r = 0; r < size; r++)
        {
            keys.add("auto/host/" + r);
        }
        store.waitFor(keys, timeout);
        for (int r = 0; r < size; r++)
        {
            hosts[r] = new String(store.get(keys.get(r)), StandardCharsets.UTF_8);
        }
        return new RankHosts(hosts);
    }

    /** Every rank's host, indexed by rank (a copy). */
    public String[] toArray()
    {
        return hosts.clone();
    }

    public int size()
    {
        return hosts.length;
    }

    public String host(final int rank)
    {
        return hosts[rank];
    }

    /** Number of distinct hosts. */
    public int hostCount()
    {
        return hostCount;
    }

    public boolean singleHost()
    {
        return hostCount == 1;
    }

    @Override
    public String toString()
    {
        return hostCount + " host(s): " + String.join(",", hosts);
    }
}
