package dev.jccl.spi;

import java.util.Arrays;

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
