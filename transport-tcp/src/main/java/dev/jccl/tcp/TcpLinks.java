package dev.jccl.tcp;

import java.util.function.IntPredicate;

/**
 * The peers of a group that one rank holds a TCP connection to. A plain TCP communicator links
 * every other rank; under the routed transport ({@code shm+tcp}) only the ranks of other hosts,
 * since same-host ranks talk through shared memory and a socket, a handshake and a stream of
 * heartbeats for them would be spent on nothing.
 *
 * <p>Rendezvous connects to the linked ranks above this one and accepts the linked ones below;
 * the listener refuses any other rank. The set must be symmetric (rank a links b exactly when b
 * links a), which routing by host name gives: otherwise one side is refused or times out waiting,
 * naming the other.
 */
public final class TcpLinks
{
    private final int rank;
    private final boolean[] linked;
    private final int count;

    private TcpLinks(final int rank, final boolean[] linked)
    {
        this.rank = rank;
        this.linked = linked;
        int n = 0;
        for (final boolean link : linked)
        {
            n += link ? 1 : 0;
        }
        this.count = n;
    }

    /** Every other rank of the group: the full mesh. */
    public static TcpLinks allPeers(final int rank, final int size)
    {
        return of(rank, size, peer -> true);
    }

    /** The ranks of the group other than {@code rank} that {@code linked} accepts. */
    public static TcpLinks of(final int rank, final int size, final IntPredicate linked)
    {
        if (size < 1 || rank < 0 || rank >= size)
        {
            throw new IllegalArgumentException("rank " + rank + " is not a rank of a group of " + size);
        }
        final boolean[] links = new boolean[size];
        for (int peer = 0; peer < size; peer++)
        {
            links[peer] = peer != rank && linked.test(peer);
        }
        return new TcpLinks(rank, links);
    }

    /** Whether this rank holds a connection to {@code peer}. */
    public boolean linked(final int peer)
    {
        return peer >= 0 && peer < linked.length && linked[peer];
    }

    /** How many peers this rank is linked to. */
    public int count()
    {
        return count;
    }

    /** The rank whose links these are. */
    int rank()
    {
        return rank;
    }

    /** Group size, this rank included. */
    int size()
    {
        return linked.length;
    }

    /** What a send or receive to a peer left out of the set throws: a caller's routing error, not a peer's failure. */
    IllegalStateException notLinked(final int peer, final String peerHost)
    {
        return new IllegalStateException("rank " + rank + " has no TCP link to rank " + peer +
            (peerHost == null ? "" : " (host " + peerHost + ")") + ": this transport was connected to " + this +
            " only (the routed transport reaches same-host ranks through shared memory)");
    }

    /** For example {@code "ranks [2, 3] of 4"}. */
    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder("ranks [");
        boolean first = true;
        for (int peer = 0; peer < linked.length; peer++)
        {
            if (linked[peer])
            {
                sb.append(first ? "" : ", ").append(peer);
                first = false;
            }
        }
        return sb.append("] of ").append(linked.length).toString();
    }
}
