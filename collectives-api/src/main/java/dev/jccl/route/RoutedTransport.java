package dev.jccl.route;

import dev.jccl.CollectiveException;
import dev.jccl.PeerFailureException;
import dev.jccl.spi.FirstFailure;
import dev.jccl.spi.HostTransport;
import dev.jccl.wire.MessageHeader;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A transport for jobs that span hosts, composed of two others: a same-host transport (shared
 * memory) over the ranks of this host, numbered by their position among them, and a network
 * transport (TCP) numbered as the job, linked only to the ranks of other hosts. Each message goes over the same-host transport when
 * the peer shares this host and over the network otherwise, so an algorithm written against
 * {@link dev.jccl.spi.PointToPoint} needs no change, and the hierarchical ones keep each phase on
 * one of the two.
 *
 * <p>Waiting drives both at once ({@link HostTransport#progress}): a ring whose left neighbour is
 * on another host and whose right neighbour is on this one must keep its network sends moving
 * while it waits on shared memory, and its network links must keep sending heartbeats, or a
 * remote peer waiting on it would take it for dead. Failure is shared: the first failure of
 * either side breaks both, so the peers of both hear of it (ABORT frames on the network, the
 * ABORT record in shared memory) and every later call throws the same exception. A same-host
 * peer's failure is renumbered to its rank in the job; a failure of a rank on another host reaches
 * this host's other ranks, which have no number for it in shared memory, as the text of the
 * original exception (rank and host named).
 *
 * <p>Tickets: the network side's have the top bit set (both sides' tickets keep it clear).
 */
public final class RoutedTransport implements HostTransport
{
    private static final long NETWORK = Long.MIN_VALUE;
    private static final long SPIN_NANOS_DEDICATED = TimeUnit.MICROSECONDS.toNanos(50);
    private static final long YIELD_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    private static final long MAX_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    private final int rank;
    private final String[] hosts;
    private final int[] hostIndex;
    private final int[] hostMembers;
    private final HostTransport host;
    private final HostTransport network;
    private final String name;
    private final long spinNanos;
    private final FirstFailure failure;
    /**
     * The shared-memory side numbers only this host's ranks; a failed rank of another host crosses
     * it as {@code REMOTE_MARK - jobRank} (always below -1), so every same-host rank still gets a
     * {@link PeerFailureException} naming the job rank and its host.
     */
    private static final int REMOTE_MARK = -2;

    /**
     * @param rank        this rank in the job.
     * @param hosts       every rank's host name, indexed by job rank.
     * @param hostMembers the job ranks of this host in the order {@code host} numbers them.
     * @param host        the same-host transport over {@code hostMembers}.
     * @param network     the network transport over every rank, numbered as the job.
     */
    public RoutedTransport(
        final int rank, final String[] hosts, final int[] hostMembers, final HostTransport host, final HostTransport network)
    {
        if (network.size() != hosts.length || network.rank() != rank)
        {
            throw new IllegalArgumentException("network transport is rank " + network.rank() + " of " + network.size() +
                ", expected " + rank + " of " + hosts.length);
        }
        if (host.size() != hostMembers.length || hostMembers[host.rank()] != rank)
        {
            throw new IllegalArgumentException("same-host transport is rank " + host.rank() + " of " + host.size() +
                ", which is not job rank " + rank + " among " + java.util.Arrays.toString(hostMembers));
        }
        this.rank = rank;
        this.hosts = hosts.clone();
        this.hostMembers = hostMembers.clone();
        this.hostIndex = new int[hosts.length];
        java.util.Arrays.fill(hostIndex, -1);
        for (int i = 0; i < hostMembers.length; i++)
        {
            hostIndex[hostMembers[i]] = i;
        }
        this.host = host;
        this.network = network;
        this.name = host.name() + "+" + network.name();
        this.failure = new FirstFailure(System.getLogger(RoutedTransport.class.getName()), rank);
        this.spinNanos = hostMembers.length <= Runtime.getRuntime().availableProcessors() || dev.jccl.env.CpuAffinity.boundToSubset()
            ? SPIN_NANOS_DEDICATED : 0;
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public int rank()
    {
        return rank;
    }

    @Override
    public int size()
    {
        return hosts.length;
    }

    @Override
    public String peerHost(final int peer)
    {
        return hosts[peer];
    }

    /** The network side (tests count its links). */
    HostTransport network()
    {
        return network;
    }

    /** Whether {@code peer} is reached through shared memory (it shares this host). */
    public boolean sameHost(final int peer)
    {
        return hostIndex[peer] >= 0;
    }

    @Override
    public void beginCollective(final MessageHeader header, final long deadlineNanos)
    {
        final CollectiveException broken = failure();
        if (broken != null)
        {
            throw broken;
        }
        try
        {
            network.beginCollective(header, deadlineNanos);
        }
        catch (final CollectiveException ex)
        {
            network.endCollective();
            throw failWith(ex);
        }
        try
        {
            host.beginCollective(header, deadlineNanos);
        }
        catch (final CollectiveException ex)
        {
            host.endCollective();
            network.endCollective();
            throw failWith(fromHost(ex));
        }
    }

    @Override
    public void endCollective()
    {
        try
        {
            host.endCollective();
        }
        finally
        {
            network.endCollective();
        }
    }

    @Override
    public long postSend(final int peer, final MessageHeader header, final ByteBuffer src, final int offset, final int length)
    {
        checkPeer(peer);
        final int local = hostIndex[peer];
        try
        {
            return local >= 0 ? host.postSend(local, header, src, offset, length) : NETWORK | network.postSend(peer, header, src, offset, length);
        }
        catch (final CollectiveException ex)
        {
            throw failWith(local >= 0 ? fromHost(ex) : ex);
        }
    }

    @Override
    public long postRecv(final int peer, final MessageHeader expected, final ByteBuffer dst, final int offset, final int length)
    {
        checkPeer(peer);
        final int local = hostIndex[peer];
        try
        {
            return local >= 0 ? host.postRecv(local, expected, dst, offset, length) : NETWORK | network.postRecv(peer, expected, dst, offset, length);
        }
        catch (final CollectiveException ex)
        {
            throw failWith(local >= 0 ? fromHost(ex) : ex);
        }
    }

    @Override
    public boolean isComplete(final long ticket)
    {
        return (ticket & NETWORK) != 0 ? network.isComplete(ticket & ~NETWORK) : host.isComplete(ticket);
    }

    @Override
    public boolean hasPending()
    {
        return host.hasPending() || network.hasPending();
    }

    @Override
    public void await(final long ticket)
    {
        waitUntil(ticket);
    }

    @Override
    public void awaitAll()
    {
        waitUntil(-1);
    }

    /**
     * Drives both sides until {@code ticket} completes (-1: until nothing is pending). Like the
     * sides' own waits: spin briefly while each local rank has a core, then yield, then park in
     * growing slices up to {@value #MAX_PARK_NANOS} ns, checking both sides' liveness and the
     * deadline whenever idle.
     */
    private void waitUntil(final long ticket)
    {
        long idleSince = 0;
        long parkNanos = 1_000;
        while (ticket == -1 ? hasPending() : !isComplete(ticket))
        {
            final CollectiveException broken = failure.get();
            if (broken != null)
            {
                throw broken;
            }
            if (progressBoth())
            {
                idleSince = 0;
                parkNanos = 1_000;
                continue;
            }
            final long now = System.nanoTime();
            if (idleSince == 0)
            {
                idleSince = now;
                continue;
            }
            if (now - idleSince < spinNanos)
            {
                Thread.onSpinWait();
                continue;
            }
            checkLiveness(now);
            if (now - idleSince < YIELD_NANOS)
            {
                Thread.yield();
                continue;
            }
            LockSupport.parkNanos(parkNanos);
            parkNanos = Math.min(MAX_PARK_NANOS, parkNanos * 2);
        }
    }

    private boolean progressBoth()
    {
        boolean moved;
        try
        {
            moved = network.progress();
        }
        catch (final CollectiveException ex)
        {
            throw failWith(ex);
        }
        try
        {
            moved |= host.progress();
        }
        catch (final CollectiveException ex)
        {
            throw failWith(fromHost(ex));
        }
        return moved;
    }

    @Override
    public boolean progress()
    {
        return progressBoth();
    }

    @Override
    public void checkLiveness(final long nowNanos)
    {
        try
        {
            network.checkLiveness(nowNanos);
        }
        catch (final CollectiveException ex)
        {
            throw failWith(ex);
        }
        try
        {
            host.checkLiveness(nowNanos);
        }
        catch (final CollectiveException ex)
        {
            throw failWith(fromHost(ex));
        }
    }

    @Override
    public CollectiveException failure()
    {
        final CollectiveException first = failure.get();
        if (first != null)
        {
            return first;
        }
        final CollectiveException fromNetwork = network.failure();
        if (fromNetwork != null)
        {
            return failWith(fromNetwork);
        }
        final CollectiveException fromHost = host.failure();
        return fromHost == null ? null : failWith(fromHost(fromHost));
    }

    @Override
    public void fail(final CollectiveException cause)
    {
        failWith(cause);
    }

    /** Records the first failure and breaks both sides with it, so the peers of both hear of it. */
    private CollectiveException failWith(final CollectiveException cause)
    {
        final CollectiveException first = failure.record(cause);
        try
        {
            network.fail(first);
        }
        finally
        {
            host.fail(toHost(first));
        }
        return first;
    }

    /** A same-host side's exception in job ranks: its peer numbers are positions among this host's ranks. */
    private CollectiveException fromHost(final CollectiveException ex)
    {
        if (ex instanceof PeerFailureException)
        {
            final PeerFailureException peer = (PeerFailureException)ex;
            final int remote = REMOTE_MARK - peer.peerRank();
            if (remote >= 0 && remote < hosts.length)
            {
                // A rank of another host, passed through this host's shared memory by toHost.
                return new PeerFailureException(remote, hosts[remote], detail(peer), ex);
            }
            if (peer.peerRank() >= 0 && peer.peerRank() < hostMembers.length && hostMembers[peer.peerRank()] != peer.peerRank())
            {
                return new PeerFailureException(hostMembers[peer.peerRank()], peer.peerHost(),
                    "[shared-memory rank " + peer.peerRank() + " of this host] " + detail(peer), ex);
            }
        }
        return ex;
    }

    /** What the same-host side is told: a failed peer numbered as it numbers them, or the text alone. */
    private CollectiveException toHost(final CollectiveException ex)
    {
        if (ex instanceof PeerFailureException)
        {
            final PeerFailureException peer = (PeerFailureException)ex;
            final int failed = peer.peerRank();
            if (failed >= 0 && failed < hostIndex.length && hostIndex[failed] >= 0)
            {
                return new PeerFailureException(hostIndex[failed], peer.peerHost(), detail(peer), ex);
            }
            if (failed >= 0 && failed < hostIndex.length)
            {
                // Not numbered on this host: marked so the same-host peers' fromHost restores job rank and host.
                return new PeerFailureException(REMOTE_MARK - failed, peer.peerHost(), detail(peer), ex);
            }
            return new CollectiveException(ex.getMessage(), ex);
        }
        return ex;
    }

    private static String detail(final PeerFailureException ex)
    {
        final String message = ex.getMessage();
        final int at = message.indexOf(" failed: ");
        return at >= 0 ? message.substring(at + " failed: ".length()) : message;
    }

    private void checkPeer(final int peer)
    {
        if (peer < 0 || peer >= hosts.length || peer == rank)
        {
            throw new IllegalArgumentException("peer " + peer + " is not another rank of " + hosts.length);
        }
    }

    @Override
    public void close()
    {
        try
        {
            host.close();
        }
        finally
        {
            network.close();
        }
    }
}
