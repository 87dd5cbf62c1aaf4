package dev.jccl.shm;

import dev.jccl.CollectiveException;
import dev.jccl.DataType;
import dev.jccl.ReduceOp;
import dev.jccl.kernel.ReduceKernels;
import dev.jccl.spi.HostTransport;
import dev.jccl.wire.MessageHeader;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import static dev.jccl.shm.ShmLayoutDescriptor.*;

/**
 * The shared-memory implementation of the point-to-point SPI: one mapped file per communicator,
 * a {@link ShmPair} per peer, progressed by the calling thread.
 *
 * <p>Waiting adapts to the host ({@link #waitFor}): it spins briefly only when every local rank
 * has a core (a peer on another core answers within microseconds; a spinning rank on an
 * oversubscribed host holds the core its peer needs), then yields (the core goes to a runnable
 * peer rank; on an idle core it returns at once), then parks in short sleeps: a peer cannot wake
 * a rank of another process, so a parked rank notices new data only when its sleep ends. While
 * parked it watches the peers ({@link ShmPeerWatch}): an ABORT record, a closed slot, a dead
 * process or a stalled heartbeat ends the wait with the matching exception, and the collective
 * deadline bounds it in every case.
 *
 * <p>Failure is sticky: the first {@link CollectiveException} wins, it is written to this rank's
 * ABORT record for every peer to see, and every later call throws it at once.
 *
 * <p>Parts: {@link ShmWaitLoop} waits for an operation, {@link ShmFailure} holds the sticky
 * failure; this class keeps the call state, the tickets, the I/O lock and the mapping's lifetime.
 */
final class ShmPointToPoint implements HostTransport
{
    private final int rank;
    private final int size;
    private final String hostName;
    private final String[] peerHosts;
    private final ShmFile file;
    private final UnsafeBuffer buffer;
    private final ShmPair[] pairs;
    private final ShmPeerWatch watch;
    private final Duration timeout;
    private final ReentrantLock ioLock = new ReentrantLock();
    private final Object mappingLock = new Object();

    private final ShmFailure failure;
    private final ShmWaitLoop waitLoop;
    private volatile boolean closed;
    private boolean unmapped;
    private long deadlineNanos = Long.MAX_VALUE;
    private final MessageHeader current = new MessageHeader();
    private boolean inCollective;
    private long nextLivenessNanos;

    ShmPointToPoint(
        final int rank, final int size, final String hostName, final String[] peerHosts, final ShmFile file,
        final int capacity, final Duration timeout, final ReduceKernels copier)
    {
        this.rank = rank;
        this.size = size;
        this.hostName = hostName;
        this.peerHosts = peerHosts.clone();
        this.file = file;
        this.buffer = file == null ? null : file.buffer();
        this.timeout = timeout;
        this.pairs = new ShmPair[size];
        for (int peer = 0; peer < size; peer++)
        {
            if (peer != rank)
            {
                final ShmChannel out = new ShmChannel(buffer, (int)channelOffset(rank, peer, size, capacity), capacity, copier);
                final ShmChannel in = new ShmChannel(buffer, (int)channelOffset(peer, rank, size, capacity), capacity, copier);
                pairs[peer] = new ShmPair(this, peer, peerHosts[peer], buffer, out, in);
            }
        }
        this.watch = size == 1 ? null : new ShmPeerWatch(rank, size, buffer, peerHosts, mappingLock);
        this.failure = new ShmFailure(rank, watch);
        this.waitLoop = new ShmWaitLoop(pairs, watch, failure, current, timeout);
        waitFor(size);
    }

    /**
     * Sets the wait budgets for {@code localRanks} ranks sharing this host ({@link ShmWaitLoop#waitFor}):
     * every rank of a shared-memory communicator is local, but a sub-communicator's host may run more.
     */
    void waitFor(final int localRanks)
    {
        waitLoop.waitFor(Math.max(localRanks, size));
    }

    /**
     * A peer whose heartbeat stays still for {@code heartbeatTimeout} (JCCL_HEARTBEAT_TIMEOUT) while
     * this rank waits on it fails the call with {@code PeerFailureException}: a frozen or hung
     * process whose pid is still alive. Call once, after construction.
     */
    void watchPeers(final Duration heartbeatTimeout)
    {
        if (watch != null)
        {
            watch.heartbeatTimeout(heartbeatTimeout);
        }
    }

    @Override
    public String name()
    {
        return ShmTransportProvider.NAME;
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
        if (watch != null)
        {
            watch.publishCall(current);
        }
    }

    @Override
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
        final ShmPair pair = pair(peer);
        while (pair.sendQueueFull())
        {
            waitLoop.progressUntil(pair, true, pair.sendCompleted + 1, deadlineNanos, inCollective);
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
        final ShmPair pair = pair(peer);
        while (pair.recvQueueFull())
        {
            waitLoop.progressUntil(pair, false, pair.recvCompleted + 1, deadlineNanos, inCollective);
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

    /** The ring is mapped memory the kernels can read in place. */
    @Override
    public boolean reducesOnReceive()
    {
        return true;
    }

    @Override
    public long postRecvReduce(
        final int peer, final MessageHeader expected, final ByteBuffer dst, final int dstOffset,
        final ByteBuffer local, final int localOffset, final int length,
        final ReduceKernels kernels, final DataType type, final ReduceOp op)
    {
        if (kernels == null || type == null || op == null || length % type.size() != 0)
        {
            throw new IllegalArgumentException("reducing receive of " + length + " bytes needs kernels, a type and an op" +
                " and whole elements (type " + type + ")");
        }
        final ShmPair pair = pair(peer);
        while (pair.recvQueueFull())
        {
            waitLoop.progressUntil(pair, false, pair.recvCompleted + 1, deadlineNanos, inCollective);
        }
        try
        {
            return ticket(peer, false, pair.postRecv(expected, dst, dstOffset, local, localOffset, length, kernels, type, op));
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
        waitLoop.progressUntil(pairs[peer], send, seq + 1, deadlineNanos, inCollective);
    }

    @Override
    public void awaitAll()
    {
        for (final ShmPair pair : pairs)
        {
            if (pair != null)
            {
                waitLoop.progressUntil(pair, true, pair.sendPosted, deadlineNanos, inCollective);
                waitLoop.progressUntil(pair, false, pair.recvPosted, deadlineNanos, inCollective);
            }
        }
    }

    @Override
    public boolean isComplete(final long ticket)
    {
        final ShmPair pair = pairs[(int)(ticket >>> 48)];
        final long seq = ticket & ((1L << 47) - 1);
        return ((ticket & (1L << 47)) != 0 ? pair.sendCompleted : pair.recvCompleted) > seq;
    }

    @Override
    public boolean hasPending()
    {
        for (final ShmPair pair : pairs)
        {
            if (pair != null && pair.hasPendingWork())
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
            return waitLoop.poll();
        }
        catch (final CollectiveException ex)
        {
            throw failWith(ex);
        }
    }

    /** Rate-limited like a parked wait: the peer records are read every {@code ShmWaitLoop.WATCH_INTERVAL_NANOS}. */
    @Override
    public void checkLiveness(final long nowNanos)
    {
        if (!hasPending())
        {
            return;
        }
        if (nowNanos - deadlineNanos >= 0)
        {
            throw failWith(failure.timeout(current, timeout, pairs));
        }
        if (watch != null && nowNanos - nextLivenessNanos >= 0)
        {
            nextLivenessNanos = nowNanos + ShmWaitLoop.WATCH_INTERVAL_NANOS;
            try
            {
                watch.check(pairs, inCollective ? current : null, nowNanos);
            }
            catch (final CollectiveException ex)
            {
                throw failWith(ex);
            }
        }
    }

    private static long ticket(final int peer, final boolean send, final long seq)
    {
        return ((long)peer << 48) | (send ? 1L << 47 : 0) | seq;
    }

    private ShmPair pair(final int peer)
    {
        if (peer < 0 || peer >= size || peer == rank)
        {
            throw new IllegalArgumentException("peer " + peer + " is not another rank of " + size);
        }
        final CollectiveException broken = failure.get();
        if (broken != null)
        {
            throw broken;
        }
        return pairs[peer];
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
    }

    /** Records the failure (first wins), publishes it in this rank's ABORT record, returns what to throw. */
    private CollectiveException failWith(final CollectiveException cause)
    {
        return failure.failWith(cause);
    }

    /**
     * Marks this rank's slot CLOSED (peers still waiting on us fail at once), stops the heartbeat,
     * and unmaps the file when no collective is running; a call still running on another thread
     * keeps the mapping, which the garbage collector releases later.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (watch != null)
        {
            watch.close();
        }
        boolean locked = false;
        try
        {
            locked = ioLock.tryLock(1, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        try
        {
            if (locked)
            {
                for (final ShmPair pair : pairs)
                {
                    if (pair != null)
                    {
                        pair.clear();
                    }
                }
                synchronized (mappingLock)
                {
                    if (watch != null)
                    {
                        watch.mappingReleased();
                    }
                    if (!unmapped && file != null)
                    {
                        unmapped = true;
                        file.unlink();
                        file.close();
                    }
                }
            }
            else if (file != null)
            {
                file.unlink();
            }
        }
        finally
        {
            if (locked)
            {
                ioLock.unlock();
            }
        }
    }
}
