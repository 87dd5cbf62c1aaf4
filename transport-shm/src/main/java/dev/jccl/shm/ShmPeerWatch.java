package dev.jccl.shm;

import dev.jccl.CollectiveException;
import dev.jccl.CollectiveMismatchException;
import dev.jccl.PeerFailureException;
import dev.jccl.wire.AbortReason;
import dev.jccl.wire.MessageHeader;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static dev.jccl.shm.ShmLayoutDescriptor.*;

/**
 * What shared memory offers in place of TCP's control frames, in the rank slots of the file:
 * this rank's current call (a seqlock-guarded header that peers compare against theirs), its
 * ABORT record, its CLOSED state and a heartbeat counter ticked by a daemon thread; and, for the
 * peers, the checks a parked rank runs on them.
 *
 * <p>A killed peer is found by its pid ({@link ProcessHandle#isAlive()}) within one watch
 * interval; a peer whose pid this rank cannot see (another pid namespace) or that shares this
 * process (ranks as threads) is found by its heartbeat going stale or by its CLOSED state.
 */
final class ShmPeerWatch
{
    private static final System.Logger LOG = System.getLogger(ShmPeerWatch.class.getName());
    private static final long HEARTBEAT_PERIOD_MS = 100;

    private final int rank;
    private final int size;
    private final UnsafeBuffer file;
    private final String[] hosts;
    private final Object mappingLock;
    private final int ownSlot;
    private final ProcessHandle[] processes;
    private final long[] pids;
    private final long[] lastBeat;
    private final long[] lastBeatChangeNanos;
    private final MessageHeader probe = new MessageHeader();
    private final Thread heartbeat;
    /** JCCL_HEARTBEAT_TIMEOUT, the same bound TCP's link watch uses; set once after rendezvous. */
    private volatile long heartbeatTimeoutNanos = dev.jccl.JcclConfig.DEFAULT_HEARTBEAT_TIMEOUT.toNanos();
    /** Guarded by mappingLock: once true the file is (about to be) unmapped and must not be touched. */
    private boolean released;

    ShmPeerWatch(final int rank, final int size, final UnsafeBuffer file, final String[] hosts, final Object mappingLock)
    {
        this.rank = rank;
        this.size = size;
        this.file = file;
        this.hosts = hosts;
        this.mappingLock = mappingLock;
        this.ownSlot = (int)slotOffset(rank);
        this.processes = new ProcessHandle[size];
        this.pids = new long[size];
        this.lastBeat = new long[size];
        this.lastBeatChangeNanos = new long[size];
        final long self = ProcessHandle.current().pid();
        final long now = System.nanoTime();
        for (int peer = 0; peer < size; peer++)
        {
            if (peer == rank)
            {
                continue;
            }
            final int slot = (int)slotOffset(peer);
            pids[peer] = file.getLongVolatile(slot + SLOT_PID_OFFSET);
            lastBeat[peer] = file.getLongVolatile(slot + SLOT_HEARTBEAT_OFFSET);
            lastBeatChangeNanos[peer] = now;
            if (pids[peer] != self)
            {
                processes[peer] = ProcessHandle.of(pids[peer]).filter(ProcessHandle::isAlive).orElse(null);
                if (processes[peer] == null)
                {
                    LOG.log(System.Logger.Level.INFO, "rank {0}: cannot see rank {1}''s process {2} (another pid namespace?); " +
                        "relying on its heartbeat", rank, peer, pids[peer]);
                }
            }
        }
        this.heartbeat = new Thread(this::beat, "jccl-shm-heartbeat-r" + rank);
        heartbeat.setDaemon(true);
        heartbeat.start();
    }

    /** How long a peer's heartbeat may stay still before it is reported failed. */
    void heartbeatTimeout(final java.time.Duration timeout)
    {
        heartbeatTimeoutNanos = timeout.toNanos();
    }

    private void beat()
    {
        while (!Thread.currentThread().isInterrupted())
        {
            synchronized (mappingLock)
            {
                if (released)
                {
                    return;
                }
                file.putLongOrdered(ownSlot + SLOT_HEARTBEAT_OFFSET, file.getLong(ownSlot + SLOT_HEARTBEAT_OFFSET) + 1);
            }
            try
            {
                Thread.sleep(HEARTBEAT_PERIOD_MS);
            }
            catch (final InterruptedException ex)
            {
                return;
            }
        }
    }

    /** Publishes this rank's current call under the seqlock (odd while writing). */
    void publishCall(final MessageHeader call)
    {
        final int lock = ownSlot + SLOT_CALL_SEQLOCK_OFFSET;
        final int version = file.getInt(lock);
        file.putIntVolatile(lock, version + 1);
        call.encode(file, ownSlot + SLOT_CALL_OFFSET);
        file.putIntOrdered(lock, version + 2);
    }

    /** Writes this rank's ABORT record once, for every peer to raise the same kind of exception. */
    void publishAbort(final CollectiveException cause)
    {
        synchronized (mappingLock)
        {
            if (released || !file.compareAndSetInt(ownSlot + SLOT_ABORT_STATE_OFFSET, ABORT_NONE, ABORT_WRITING))
            {
                return;
            }
            final int failedRank = cause instanceof PeerFailureException ? ((PeerFailureException)cause).peerRank() : -1;
            final String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            final byte[] text = message.getBytes(StandardCharsets.UTF_8);
            final int length = Math.min(text.length, MAX_ABORT_TEXT);
            file.putInt(ownSlot + SLOT_ABORT_REASON_OFFSET, AbortReason.of(cause).id());
            file.putInt(ownSlot + SLOT_ABORT_FAILED_RANK_OFFSET, failedRank);
            file.putInt(ownSlot + SLOT_ABORT_LENGTH_OFFSET, length);
            file.putBytes(ownSlot + SLOT_ABORT_TEXT_OFFSET, text, 0, length);
            file.putIntVolatile(ownSlot + SLOT_ABORT_STATE_OFFSET, ABORT_WRITTEN);
        }
    }

    /**
     * Looks at every peer: a written ABORT record, then (for peers this rank has work with) a
     * CLOSED slot, a dead process or a stale heartbeat, then (inside a call) a published call
     * with this call's number that is a different call.
     *
     * @param current this rank's call, or null outside one.
     */
    void check(final ShmPair[] pairs, final MessageHeader current, final long nowNanos)
    {
        for (int peer = 0; peer < size; peer++)
        {
            if (peer == rank)
            {
                continue;
            }
            final int slot = (int)slotOffset(peer);
            if (file.getIntVolatile(slot + SLOT_ABORT_STATE_OFFSET) == ABORT_WRITTEN)
            {
                throw abortOf(peer, slot);
            }
            final ShmPair pair = pairs[peer];
            if (pair.hasPendingWork())
            {
                checkAlive(pair, slot, nowNanos);
            }
            if (current != null)
            {
                checkSameCall(peer, slot, current);
            }
        }
    }

    private CollectiveException abortOf(final int peer, final int slot)
    {
        final AbortReason reason = AbortReason.fromId(file.getInt(slot + SLOT_ABORT_REASON_OFFSET));
        final int failedRank = file.getInt(slot + SLOT_ABORT_FAILED_RANK_OFFSET);
        final int length = Math.max(0, Math.min(MAX_ABORT_TEXT, file.getInt(slot + SLOT_ABORT_LENGTH_OFFSET)));
        final String text = file.getStringWithoutLengthUtf8(slot + SLOT_ABORT_TEXT_OFFSET, length);
        final String failedHost = failedRank >= 0 && failedRank < size ? hosts[failedRank] : "?";
        return AbortReason.toException(reason, peer, hosts[peer], failedRank, failedHost, text);
    }

    private void checkAlive(final ShmPair pair, final int slot, final long nowNanos)
    {
        final int peer = pair.peer;
        // A peer that wrote its last frames and then closed or exited between this rank's last poll
        // and this check is not a failure yet: those frames are in the ring. The next poll reads
        // them, and the next check fails the call only if work is still pending with the ring empty.
        if (file.getIntVolatile(slot + SLOT_STATE_OFFSET) == SLOT_CLOSED)
        {
            if (pair.hasUnreadInput())
            {
                return;
            }
            pair.markDead("rank " + peer + " closed its communicator");
            throw new PeerFailureException(peer, hosts[peer], "rank " + peer + " closed its communicator while this rank still exchanged data with it");
        }
        final ProcessHandle process = processes[peer];
        if (process != null && !process.isAlive())
        {
            if (pair.hasUnreadInput())
            {
                return;
            }
            pair.markDead("process " + pids[peer] + " exited or was killed");
            throw new PeerFailureException(peer, hosts[peer], "process " + pids[peer] + " exited or was killed");
        }
        final long beat = file.getLongVolatile(slot + SLOT_HEARTBEAT_OFFSET);
        if (beat != lastBeat[peer])
        {
            lastBeat[peer] = beat;
            lastBeatChangeNanos[peer] = nowNanos;
        }
        else if (nowNanos - lastBeatChangeNanos[peer] > heartbeatTimeoutNanos)
        {
            final String why = "no heartbeat for " + TimeUnit.NANOSECONDS.toMillis(nowNanos - lastBeatChangeNanos[peer]) + " ms";
            pair.markDead(why);
            throw new PeerFailureException(peer, hosts[peer], why);
        }
    }

    private void checkSameCall(final int peer, final int slot, final MessageHeader current)
    {
        final int lock = slot + SLOT_CALL_SEQLOCK_OFFSET;
        final int before = file.getIntVolatile(lock);
        if ((before & 1) != 0 || before == 0)
        {
            return;
        }
        probe.decode(file, slot + SLOT_CALL_OFFSET);
        VarHandle.acquireFence();
        if (file.getIntVolatile(lock) != before)
        {
            return;
        }
        if (probe.communicatorId() == current.communicatorId() && probe.sequence() == current.sequence() && !probe.sameCall(current))
        {
            throw new CollectiveMismatchException("rank " + rank + " (host " + hosts[rank] + ") called " +
                current.describe() + " but rank " + peer + " (host " + hosts[peer] + ") called " + probe.describe());
        }
    }

    /** Marks this rank's slot CLOSED and stops the heartbeat. */
    void close()
    {
        synchronized (mappingLock)
        {
            if (!released)
            {
                file.putIntVolatile(ownSlot + SLOT_STATE_OFFSET, SLOT_CLOSED);
            }
        }
        heartbeat.interrupt();
        try
        {
            heartbeat.join(1_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** Called under mappingLock just before the file is unmapped. */
    void mappingReleased()
    {
        released = true;
    }
}
