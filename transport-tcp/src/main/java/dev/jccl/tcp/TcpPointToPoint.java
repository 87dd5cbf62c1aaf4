package dev.jccl.tcp;

import dev.jccl.CollectiveException;
import dev.jccl.CollectiveMismatchException;
import dev.jccl.CollectiveTimeoutException;
import dev.jccl.PeerFailureException;
import dev.jccl.spi.HostTransport;
import dev.jccl.wire.AbortReason;
import dev.jccl.wire.MessageHeader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

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
 */
public final class TcpPointToPoint implements HostTransport
{
    private static final System.Logger LOG = System.getLogger(TcpPointToPoint.class.getName());
    /**
     * Wait strategy (see {@link #progressUntil}): busy-poll for a while, then poll with
     * {@link Thread#yield} between polls, then park in the selector. Time-bounded, not
     * iteration-bounded: one poll is a read syscall per pair (about a microsecond), so the old
     * 2000 polls burned milliseconds of a core the peer needed when ranks outnumber cores.
     * Busy-polling only pays while every local rank has a core of its own (see {@link #waitFor}).
     */
    static final long SPIN_US_DEDICATED = 50;
    static final long YIELD_US = 200;
    private static final long SELECT_SLICE_MS = Long.getLong("jccl.tcp.selectMs", 100);
    /** Heartbeats go out at a quarter of the silence bound, at most this far apart. */
    private static final long MAX_HEARTBEAT_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(1_000);
    /** Progressing iterations between heartbeat checks while data streams (keeps nanoTime off the hot loop). */
    private static final int HEARTBEAT_CHECK_EVERY = 1024;
    private static final long CLOSE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** Socket send/receive buffer bytes; 0 leaves the kernel's autotuning alone. */
    static final int SOCKET_BUFFER_BYTES = Integer.getInteger("jccl.tcp.sockBuf", 0);
    private static final long ABORT_SEND_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final int rank;
    private final int size;
    private final String hostName;
    private final TcpPair[] pairs;
    private final TcpLinks links;
    private final String[] peerHosts;
    private final Selector selector;
    private final TcpListener listener;
    private final Duration timeout;
    private final ReentrantLock ioLock = new ReentrantLock();
    private final Consumer<SelectionKey> onSelected = this::onSelected;
    private long spinNanos;
    private long yieldNanos;

    private volatile CollectiveException failure;
    private volatile boolean abortFramesSent;
    private volatile boolean closed;
    private long deadlineNanos = Long.MAX_VALUE;
    private final MessageHeader current = new MessageHeader();
    private boolean inCollective;
    private long lastProbeNanos;
    private long heartbeatTimeoutNanos = dev.jccl.JcclConfig.DEFAULT_HEARTBEAT_TIMEOUT.toNanos();
    private long heartbeatIntervalNanos = MAX_HEARTBEAT_INTERVAL_NANOS;
    private int progressedSinceHeartbeatCheck;
    private long collectiveStartNanos;
    private LinkWatch linkWatch;
    private RuntimeException selectedFailure;
    private boolean selectedProgress;

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
        // Heartbeats carry the current call; before the first there is none, and call number 0
        // matches no real call (they start at 1), so such a heartbeat never reads as a mismatch.
        current.collective(0, 0, dev.jccl.wire.CollectiveKind.BARRIER, null, null, -1, 0).chunk(0, 0);
        waitFor(1);
        try
        {
            this.selector = Selector.open();
            for (int peer = 0; peer < size; peer++)
            {
                if (!links.linked(peer))
                {
                    continue;
                }
                final SocketChannel channel = channels[peer];
                channel.configureBlocking(false);
                configure(channel);
                final TcpPair pair = new TcpPair(this, peer, peerHosts[peer], channel);
                pair.key = channel.register(selector, 0, pair);
                pairs[peer] = pair;
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot set up TCP pairs", ex);
        }
    }

    /**
     * Chooses the wait budgets for {@code localRanks} ranks sharing this host: busy-poll
     * {@value #SPIN_US_DEDICATED} µs when each has a core (a loopback round trip is a few µs, a
     * selector wake-up tens), none when they outnumber the cores (the spinning rank would hold the
     * core its peer needs); then yield up to {@value #YIELD_US} µs in both cases (on an
     * oversubscribed host the yield hands the core to a peer rank; on an idle one it returns at
     * once), then park. The system properties {@code jccl.tcp.spinUs} and {@code jccl.tcp.yieldUs}
     * override both budgets (measurements are in bench/RESULTS.md).
     */
    void waitFor(final int localRanks)
    {
        final boolean dedicated = localRanks <= Runtime.getRuntime().availableProcessors();
        spinNanos = TimeUnit.MICROSECONDS.toNanos(Long.getLong("jccl.tcp.spinUs", dedicated ? SPIN_US_DEDICATED : 0));
        yieldNanos = Math.max(spinNanos, TimeUnit.MICROSECONDS.toNanos(Long.getLong("jccl.tcp.yieldUs", YIELD_US)));
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
        final CollectiveException broken = failure;
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
        heartbeatTimeoutNanos = heartbeatTimeout.toNanos();
        heartbeatIntervalNanos = Math.min(MAX_HEARTBEAT_INTERVAL_NANOS, heartbeatTimeoutNanos / 4);
        if (size > 1 && linkWatch == null)
        {
            linkWatch = LinkWatch.start(this, heartbeatIntervalNanos);
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
            if (failure != null)
            {
                sendAbortFrames();
                return;
            }
            sendHeartbeatsIfDue(System.nanoTime());
            for (final TcpPair pair : pairs)
            {
                if (pair == null)
                {
                    continue;
                }
                if (pair.hasPendingSends())
                {
                    pair.write();
                }
                if (pair.wantsRead() && pair.read())
                {
                    pair.lastHeardNanos = System.nanoTime();
                }
            }
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
            progressUntil(pair, true, pair.sendCompleted + 1);
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
            progressUntil(pair, false, pair.recvCompleted + 1);
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
        progressUntil(pairs[peer], send, seq + 1);
    }

    @Override
    public void awaitAll()
    {
        for (final TcpPair pair : pairs)
        {
            if (pair != null)
            {
                // Data only: a heartbeat queued behind it is no one's ticket and may wait for the peer.
                progressUntil(pair, true, pair.dataSendEnd);
                progressUntil(pair, false, pair.recvPosted);
            }
        }
    }

    @Override
    public boolean isComplete(final long ticket)
    {
        final TcpPair pair = pairs[(int)(ticket >>> 48)];
        final long seq = ticket & ((1L << 47) - 1);
        return ((ticket & (1L << 47)) != 0 ? pair.sendCompleted : pair.recvCompleted) > seq;
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
        final CollectiveException broken = failure;
        if (broken != null)
        {
            throw failWith(broken);
        }
        try
        {
            final boolean progressed = pollActivePairs();
            if (progressed && ++progressedSinceHeartbeatCheck >= HEARTBEAT_CHECK_EVERY)
            {
                progressedSinceHeartbeatCheck = 0;
                sendHeartbeatsIfDue(System.nanoTime());
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
            throw failWith(timeoutException());
        }
        try
        {
            sendHeartbeatsIfDue(nowNanos);
            checkSilence(nowNanos);
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
        final CollectiveException broken = failure;
        if (broken != null)
        {
            throw broken;
        }
        return pair;
    }

    /**
     * Drives every pair until {@code pair}'s completed count in one direction reaches {@code target}.
     *
     * <p>Waiting is adaptive: after the last progress, poll busily for {@code spinNanos} (a
     * loopback round trip is a few microseconds and a selector wake-up costs tens), then poll with
     * {@link Thread#yield} between polls until {@code yieldNanos} (on an oversubscribed machine
     * the yield hands the core to the peer we wait for; on an idle one it returns at once), then
     * park in {@link Selector#select}. Any progress restarts the clock.
     */
    private void progressUntil(final TcpPair pair, final boolean send, final long target)
    {
        long idleSince = 0;
        while ((send ? pair.sendCompleted : pair.recvCompleted) < target)
        {
            final CollectiveException broken = failure;
            if (broken != null)
            {
                throw failWith(broken);
            }
            boolean progressed;
            try
            {
                progressed = pollActivePairs();
            }
            catch (final CollectiveException ex)
            {
                throw failWith(ex);
            }
            if (progressed)
            {
                idleSince = 0;
                if (++progressedSinceHeartbeatCheck >= HEARTBEAT_CHECK_EVERY)
                {
                    // A long transfer to one peer must not starve the others of heartbeats.
                    progressedSinceHeartbeatCheck = 0;
                    sendHeartbeatsIfDue(System.nanoTime());
                }
                continue;
            }
            final long now = System.nanoTime();
            if (idleSince == 0)
            {
                idleSince = now;
                continue;
            }
            final long idle = now - idleSince;
            if (idle < spinNanos)
            {
                Thread.onSpinWait();
                continue;
            }
            if (idle < yieldNanos)
            {
                Thread.yield();
                continue;
            }
            final long remaining = deadlineNanos - now;
            if (remaining <= 0)
            {
                throw failWith(timeoutException());
            }
            sendHeartbeatsIfDue(System.nanoTime());
            final boolean moved = selectOnce(Math.max(1, Math.min(SELECT_SLICE_MS,
                Math.min(TimeUnit.NANOSECONDS.toMillis(heartbeatIntervalNanos), TimeUnit.NANOSECONDS.toMillis(remaining)))));
            checkSilence(System.nanoTime());
            if (moved)
            {
                idleSince = 0;  // bytes moved: the peer is active, spin again
            }
            else
            {
                idleSince = System.nanoTime() - yieldNanos;  // slice ran out: straight back to the selector
            }
        }
    }

    private static void configure(final SocketChannel channel) throws IOException
    {
        // The connector sets TCP_NODELAY before connecting, but the accepted side never did: with
        // Nagle on, a small frame waits for the ACK of the previous one (delayed ACK) on one side.
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        if (SOCKET_BUFFER_BYTES > 0)
        {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER_BYTES);
            channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
        }
    }

    /**
     * Every live link gets a heartbeat each interval, also peers this rank owes nothing: they may be
     * waiting on it. A peer that has finished and closed makes the write fail, which
     * {@link TcpPair#write} takes as that peer's normal exit when no data was pending.
     */
    private void sendHeartbeatsIfDue(final long now)
    {
        if (now - lastProbeNanos < heartbeatIntervalNanos)
        {
            return;
        }
        lastProbeNanos = now;
        for (final TcpPair pair : pairs)
        {
            if (pair != null)
            {
                pair.postProbe(current);
            }
        }
    }

    /**
     * A peer this rank waits on that has sent nothing, not even a heartbeat, for the heartbeat
     * timeout is frozen or unreachable (no FIN or RST came): fail now rather than at the call's
     * timeout. Silence counts from the later of the last byte and the call's start, so a rank
     * that was itself paused between calls first reads what queued up meanwhile.
     */
    private void checkSilence(final long now)
    {
        for (final TcpPair pair : pairs)
        {
            if (pair == null || !pair.awaitsPeer() || !pair.wantsRead())
            {
                continue;
            }
            final long silent = now - Math.max(pair.lastHeardNanos, collectiveStartNanos);
            if (silent > heartbeatTimeoutNanos)
            {
                throw failWith(new PeerFailureException(pair.peer, pair.peerHost, "silent for " +
                    TimeUnit.NANOSECONDS.toMillis(silent) + " ms while " + describeCurrent() + " waited on it " +
                    "(heartbeat timeout " + Duration.ofNanos(heartbeatTimeoutNanos) + ", JCCL_HEARTBEAT_TIMEOUT): " +
                    "process frozen or host unreachable"));
            }
        }
    }

    private String describeCurrent()
    {
        return (current.kind() == null ? "collective" : current.kind().apiName()) + " seq " + current.sequence();
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

    private boolean pollActivePairs()
    {
        boolean progressed = false;
        for (final TcpPair pair : pairs)
        {
            if (pair == null)
            {
                continue;
            }
            if (pair.hasPendingSends())
            {
                progressed |= pair.write();
            }
            if (pair.canProgressRecv() && pair.read())
            {
                progressed = true;
                pair.lastHeardNanos = System.nanoTime();
            }
            pair.checkUsable();
        }
        return progressed;
    }

    /** Parks in the selector up to {@code timeoutMs}; returns whether a selected pair moved bytes. */
    private boolean selectOnce(final long timeoutMs)
    {
        for (final TcpPair pair : pairs)
        {
            if (pair == null || !pair.key.isValid())
            {
                continue;
            }
            final int interest = (pair.wantsRead() ? SelectionKey.OP_READ : 0) | (pair.hasPendingSends() ? SelectionKey.OP_WRITE : 0);
            if (interest != pair.interest)
            {
                pair.key.interestOps(interest);
                pair.interest = interest;
            }
        }
        try
        {
            selectedFailure = null;
            selectedProgress = false;
            selector.select(onSelected, timeoutMs);
        }
        catch (final IOException ex)
        {
            throw failWith(new CollectiveException("selector failed: " + ex.getMessage(), ex));
        }
        if (selectedFailure != null)
        {
            final RuntimeException ex = selectedFailure;
            selectedFailure = null;
            throw ex instanceof CollectiveException ? failWith((CollectiveException)ex) : ex;
        }
        return selectedProgress;
    }

    private void onSelected(final SelectionKey key)
    {
        final TcpPair pair = (TcpPair)key.attachment();
        try
        {
            if (key.isValid() && key.isWritable())
            {
                selectedProgress |= pair.write();
            }
            if (key.isValid() && key.isReadable() && pair.wantsRead() && pair.read())
            {
                pair.lastHeardNanos = System.nanoTime();
                selectedProgress = true;
            }
        }
        catch (final RuntimeException ex)
        {
            if (selectedFailure == null)
            {
                selectedFailure = ex;
            }
        }
    }

    private CollectiveTimeoutException timeoutException()
    {
        final StringBuilder sb = new StringBuilder();
        sb.append(current.kind() == null ? "collective" : current.kind().apiName())
            .append(" (seq ").append(current.sequence()).append(", count ").append(current.count())
            .append(", communicator ").append(current.communicatorId()).append(") on rank ").append(rank).append(" timed out after ")
            .append(Duration.ofMillis((deadlineNanos - collectiveStartNanos + 999_999) / 1_000_000))
            .append("; ranks not heard from: ");
        boolean first = true;
        for (final TcpPair pair : pairs)
        {
            if (pair != null && (pair.hasPendingRecvs() || pair.hasPendingDataSends()))
            {
                sb.append(first ? "" : ", ").append(pair.pendingDescription());
                first = false;
            }
        }
        if (first)
        {
            sb.append("no peer (nothing pending)");
        }
        return new CollectiveTimeoutException(sb.toString());
    }

    @Override
    public CollectiveException failure()
    {
        return failure;
    }

    @Override
    public void fail(final CollectiveException cause)
    {
        failWith(cause);
        if (ioLock.tryLock())
        {
            try
            {
                sendAbortFrames();
            }
            finally
            {
                ioLock.unlock();
            }
        }
        else
        {
            selector.wakeup();
        }
    }

    /** Records the failure (first wins), tells the peers when this thread owns the sockets, returns what to throw. */
    private CollectiveException failWith(final CollectiveException cause)
    {
        CollectiveException first = failure;
        if (first == null)
        {
            synchronized (this)
            {
                if (failure == null)
                {
                    failure = cause;
                    LOG.log(System.Logger.Level.DEBUG, "rank {0}: communicator broken: {1}", rank, cause.getMessage());
                }
                first = failure;
            }
        }
        if (ioLock.isHeldByCurrentThread())
        {
            sendAbortFrames();
        }
        return first;
    }

    private void sendAbortFrames()
    {
        if (abortFramesSent || closed)
        {
            return;
        }
        abortFramesSent = true;
        final CollectiveException cause = failure;
        final AbortReason reason = AbortReason.of(cause);
        final int failedRank = cause instanceof PeerFailureException ? ((PeerFailureException)cause).peerRank() : -1;
        final String message = cause.getMessage();
        final byte[] text = truncate(message == null ? cause.getClass().getSimpleName() : message);
        final long deadline = System.nanoTime() + ABORT_SEND_NANOS;
        for (final TcpPair pair : pairs)
        {
            if (pair != null && pair.peer != failedRank)
            {
                pair.sendAbort(reason, failedRank, current.communicatorId(), current.sequence(), text, deadline);
            }
        }
    }

    private static byte[] truncate(final String message)
    {
        final byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= dev.jccl.wire.MessageHeaderDescriptor.MAX_ABORT_REASON_LENGTH)
        {
            return bytes;
        }
        return java.util.Arrays.copyOf(bytes, dev.jccl.wire.MessageHeaderDescriptor.MAX_ABORT_REASON_LENGTH);
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
        for (final TcpPair pair : pairs)
        {
            if (pair != null)
            {
                pair.close();
            }
        }
        try
        {
            selector.close();
        }
        catch (final IOException ignore)
        {
            // Best effort on close.
        }
    }
}
