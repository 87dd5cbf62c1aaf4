package dev.jccl.tcp;

import dev.jccl.CollectiveException;
import dev.jccl.CollectiveMismatchException;
import dev.jccl.PeerFailureException;
import dev.jccl.spi.HostTransport;
import dev.jccl.wire.MessageHeader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The TCP implementation of the point-to-point SPI: a mesh of {@link TcpPair}s (one per peer in
 * {@link TcpLinks}: every other rank unless routed) progressed by the calling thread. The loop
 * spins briefly over the pairs with work (loopback latency is a few microseconds, a selector
 * wake-up costs more), then parks in {@link Selector#select} watching every pair, so a peer's
 * ABORT frame or death is seen even while waiting on someone else.
 *
 * <p>Failure is sticky: the first {@link CollectiveException} wins, every peer is told with an
 * ABORT frame, and every later call throws it at once.
 *
 * <p>Liveness: a dead process closes its sockets, which the select sees at once. A frozen process
 * or a vanished host closes nothing, so every link also carries HEARTBEAT frames, from the loop
 * while a call waits and from {@link LinkWatch} between calls; a peer this rank waits on that has
 * sent nothing for the heartbeat timeout is reported as failed.
 *
 * <p>Parts: {@link TcpPairPoller} moves the bytes and owns the selector, {@link TcpWaitLoop} waits
 * for an operation, {@link TcpHeartbeats} keeps the links audible and finds silent peers,
 * {@link TcpFailure} holds the sticky failure and sends the ABORT frames.
 */
public final class TcpPointToPoint implements HostTransport
{
    private static final long CLOSE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final int rank;
    private final int size;
    private final String hostName;
    private final TcpPair[] pairs;
    private final TcpLinks links;
    private final String[] peerHosts;
    private final TcpListener listener;
    private final Duration timeout;
    private final ReentrantLock ioLock = new ReentrantLock();
    private final MessageHeader current = new MessageHeader();
    private final TcpPairPoller poller;
    private final TcpHeartbeats heartbeats;
    private final TcpFailure failure;
    private final TcpWaitLoop waitLoop;

    private volatile boolean closed;
    private long deadlineNanos = Long.MAX_VALUE;
    private boolean inCollective;
    private long collectiveStartNanos;
    private LinkWatch linkWatch;

    TcpPointToPoint(
        final int rank, final int size, final String hostName, final String[] peerHosts,
        final SocketChannel[] channels, final TcpListener listener, final Duration timeout)
    {
        this(rank, size, hostName, peerHosts, channels, listener, timeout, TcpLinks.allPeers(rank, size));
    }

    /** Over the peers {@code links} names alone; {@code channels} holds a connection for each of them. */
    TcpPointToPoint(
        final int rank, final int size, final String hostName, final String[] peerHosts,
        final SocketChannel[] channels, final TcpListener listener, final Duration timeout, final TcpLinks links)
    {
        this.rank = rank;
        this.links = links;
        this.size = size;
        this.hostName = hostName;
        this.peerHosts = peerHosts.clone();
        this.listener = listener;
        this.timeout = timeout;
        this.pairs = new TcpPair[size];
        this.heartbeats = new TcpHeartbeats(pairs);
        this.failure = new TcpFailure(rank, pairs, ioLock, current, () -> closed);
        // Heartbeats carry the current call; before the first there is none, and call number 0
        // matches no real call (they start at 1), so such a heartbeat never reads as a mismatch.
        current.collective(0, 0, dev.jccl.wire.CollectiveKind.BARRIER, null, null, -1, 0).chunk(0, 0);
        try
        {
            this.poller = new TcpPairPoller(pairs, TcpCongestion.configured());
            for (int peer = 0; peer < size; peer++)
            {
                if (!links.linked(peer))
                {
                    continue;
                }
                final TcpPair pair = new TcpPair(this, peer, peerHosts[peer], channels[peer]);
                poller.register(pair, channels[peer]);
                pairs[peer] = pair;
            }
            this.waitLoop = new TcpWaitLoop(poller, heartbeats, failure, current);
            waitLoop.waitFor(1);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot set up TCP pairs", ex);
        }
    }

    /** Sets the wait budgets for {@code localRanks} ranks sharing this host ({@link TcpWaitLoop#waitFor}). */
    void waitFor(final int localRanks)
    {
        waitLoop.waitFor(localRanks);
    }

    @Override
    public String name()
    {
        return "tcp";
    }

    @Override
    public int rank()
    {
        return rank;
    }

    @Override
    public int size()
    {
        return size;
    }

    String hostName()
    {
        return hostName;
    }

    /** The peers this rank was asked to link. */
    public TcpLinks links()
    {
        return links;
    }

    /** Diagnostic: how many peers this rank holds an open socket to (tests count the routed transport's links). */
    public int connectedPeers()
    {
        int open = 0;
        for (final TcpPair pair : pairs)
        {
            open += pair != null && pair.channel.isOpen() ? 1 : 0;
        }
        return open;
    }

    @Override
    public String peerHost(final int peer)
    {
        return peerHosts[peer];
    }

    @Override
    public void beginCollective(final MessageHeader header, final long deadlineNanos)
    {
        final CollectiveException broken = failure.get();
        if (broken != null)
        {
            throw broken;
        }
        if (!ioLock.isHeldByCurrentThread())
        {
            ioLock.lock();
        }
        current.copyFrom(header);
        this.deadlineNanos = deadlineNanos;
        inCollective = true;
        collectiveStartNanos = System.nanoTime();
    }

    /**
     * Starts watching the links with heartbeats: a peer this rank waits on that stays silent for
     * {@code heartbeatTimeout} fails the call with {@link PeerFailureException}. Call once, after
     * construction.
     */
    public void watchLinks(final Duration heartbeatTimeout)
    {
        heartbeats.timeout(heartbeatTimeout);
        if (size > 1 && linkWatch == null)
        {
            linkWatch = LinkWatch.start(this, heartbeats.intervalNanos());
        }
    }

    /**
     * One tick of {@link LinkWatch} between calls: when no call holds the sockets, sends due
     * heartbeats, reads what arrived (heartbeats, ABORT frames, end of stream) and passes on a
     * failure recorded while no one could tell the peers. Never blocks on the sockets.
     */
    void idleTick()
    {
        if (closed || !ioLock.tryLock())
        {
            return;
        }
        try
        {
            if (closed)
            {
                return;
            }
            if (failure.get() != null)
            {
                failure.sendAbortFrames();
                return;
            }
            heartbeats.sendIfDue(System.nanoTime(), current);
            poller.pollBetweenCalls();
        }
        catch (final CollectiveException ex)
        {
            failWith(ex);
        }
        catch (final RuntimeException ex)
        {
            if (!closed)
            {
                failWith(new CollectiveException("link watch failed: " + ex, ex));
            }
        }
        finally
        {
            ioLock.unlock();
        }
    }

    /** Ends the collective begun last; releases the I/O lock so {@link #fail} can use the sockets. */
    public void endCollective()
    {
        inCollective = false;
        deadlineNanos = Long.MAX_VALUE;
        while (ioLock.isHeldByCurrentThread())
        {
            ioLock.unlock();
        }
    }

    @Override
    public long postSend(final int peer, final MessageHeader header, final ByteBuffer src, final int offset, final int length)
    {
        final TcpPair pair = pair(peer);
        while (pair.sendQueueFull())
        {
            waitLoop.progressUntil(pair, true, pair.sends.completed + 1, deadlineNanos, collectiveStartNanos);
        }
        try
        {
            return ticket(peer, true, pair.postSend(header, src, offset, length));
        }
        catch (final CollectiveException ex)
        {
            throw failWith(ex);
        }
    }

    @Override
    public long postRecv(final int peer, final MessageHeader expected, final ByteBuffer dst, final int offset, final int length)
    {
        final TcpPair pair = pair(peer);
        while (pair.recvQueueFull())
        {
            waitLoop.progressUntil(pair, false, pair.recvCompleted + 1, deadlineNanos, collectiveStartNanos);
        }
        try
        {
            return ticket(peer, false, pair.postRecv(expected, dst, offset, length));
        }
        catch (final CollectiveException ex)
        {
            throw failWith(ex);
        }
    }

    @Override
    public void await(final long ticket)
    {
        final int peer = (int)(ticket >>> 48);
        final boolean send = (ticket & (1L << 47)) != 0;
        final long seq = ticket & ((1L << 47) - 1);
        waitLoop.progressUntil(pairs[peer], send, seq + 1, deadlineNanos, collectiveStartNanos);
    }

    @Override
    public void awaitAll()
    {
        for (final TcpPair pair : pairs)
        {
            if (pair != null)
            {
                // Data only: a heartbeat queued behind it is no one's ticket and may wait for the peer.
                waitLoop.progressUntil(pair, true, pair.sends.dataEnd, deadlineNanos, collectiveStartNanos);
                waitLoop.progressUntil(pair, false, pair.recvPosted, deadlineNanos, collectiveStartNanos);
            }
        }
    }

    @Override
    public boolean isComplete(final long ticket)
    {
        final TcpPair pair = pairs[(int)(ticket >>> 48)];
        final long seq = ticket & ((1L << 47) - 1);
        return ((ticket & (1L << 47)) != 0 ? pair.sends.completed : pair.recvCompleted) > seq;
    }

    @Override
    public boolean hasPending()
    {
        for (final TcpPair pair : pairs)
        {
            if (pair != null && (pair.hasPendingDataSends() || pair.hasPendingRecvs()))
            {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean progress()
    {
        final CollectiveException broken = failure.get();
        if (broken != null)
        {
            throw failWith(broken);
        }
        try
        {
            final boolean progressed = poller.poll();
            if (progressed)
            {
                heartbeats.afterProgress(current);
            }
            return progressed;
        }
        catch (final CollectiveException ex)
        {
            throw failWith(ex);
        }
    }

    @Override
    public void checkLiveness(final long nowNanos)
    {
        if (hasPending() && nowNanos - deadlineNanos >= 0)
        {
            throw failWith(failure.timeout(deadlineNanos, collectiveStartNanos));
        }
        try
        {
            heartbeats.sendIfDue(nowNanos, current);
            waitLoop.checkSilence(nowNanos, collectiveStartNanos);
        }
        catch (final CollectiveException ex)
        {
            throw failWith(ex);
        }
    }

    private static long ticket(final int peer, final boolean send, final long seq)
    {
        return ((long)peer << 48) | (send ? 1L << 47 : 0) | seq;
    }

    private TcpPair pair(final int peer)
    {
        if (peer < 0 || peer >= size || peer == rank)
        {
            throw new IllegalArgumentException("peer " + peer + " is not another rank of " + size);
        }
        final TcpPair pair = pairs[peer];
        if (pair == null)
        {
            throw links.notLinked(peer, peerHosts[peer]);
        }
        final CollectiveException broken = failure.get();
        if (broken != null)
        {
            throw broken;
        }
        return pair;
    }

    /** A peer's probe: same call number but a different call means the ranks disagree. */
    void checkProbe(final TcpPair pair, final MessageHeader probe)
    {
        if (inCollective && probe.communicatorId() == current.communicatorId() &&
            probe.sequence() == current.sequence() && !probe.sameCall(current))
        {
            throw new CollectiveMismatchException("rank " + rank + " (host " + hostName + ") called " +
                current.describe() + " but rank " + pair.peer + " (host " + pair.peerHost + ") called " + probe.describe());
        }
    }

    @Override
    public CollectiveException failure()
    {
        return failure.get();
    }

    @Override
    public void fail(final CollectiveException cause)
    {
        failWith(cause);
        if (ioLock.tryLock())
        {
            try
            {
                failure.sendAbortFrames();
            }
            finally
            {
                ioLock.unlock();
            }
        }
        else
        {
            poller.wakeup();
        }
    }

    /** Records the failure (first wins), tells the peers when this thread owns the sockets, returns what to throw. */
    private CollectiveException failWith(final CollectiveException cause)
    {
        return failure.failWith(cause);
    }

    /**
     * Bounded even with dead peers or a call still running on another thread: that call is failed
     * first (it wakes from its select and throws), then the sockets close whether or not it let go
     * of them within {@link #CLOSE_WAIT_NANOS}.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        if (linkWatch != null)
        {
            linkWatch.stop();
        }
        boolean locked = ioLock.tryLock();
        if (!locked)
        {
            fail(new dev.jccl.CommunicatorAbortedException("rank " + rank + " closed the communicator while a call was in progress"));
            try
            {
                locked = ioLock.tryLock(CLOSE_WAIT_NANOS, TimeUnit.NANOSECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        closed = true;
        try
        {
            closeSockets();
        }
        finally
        {
            if (locked)
            {
                ioLock.unlock();
            }
        }
    }

    private void closeSockets()
    {
        if (listener != null)
        {
            listener.close();
        }
        poller.close();
    }
}
