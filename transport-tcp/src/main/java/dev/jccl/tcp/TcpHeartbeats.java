package dev.jccl.tcp;

import dev.jccl.JcclConfig;
import dev.jccl.PeerFailureException;
import dev.jccl.wire.MessageHeader;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Liveness of a {@link TcpPointToPoint}'s links: a dead process closes its sockets, which the
 * select sees at once, but a frozen process or a vanished host closes nothing. So every link
 * carries a HEARTBEAT frame each interval (a quarter of the silence bound, at most
 * {@link #MAX_INTERVAL_NANOS}), and a peer this rank waits on that has sent nothing for the
 * heartbeat timeout is reported as failed. Used by the thread that holds the transport's I/O lock.
 */
final class TcpHeartbeats
{
    /** Heartbeats go out at a quarter of the silence bound, at most this far apart. */
    static final long MAX_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(1_000);
    /** Progressing iterations between heartbeat checks while data streams (keeps nanoTime off the hot loop). */
    private static final int CHECK_EVERY = 1024;

    private final TcpPair[] pairs;
    private long timeoutNanos = JcclConfig.DEFAULT_HEARTBEAT_TIMEOUT.toNanos();
    private long intervalNanos = MAX_INTERVAL_NANOS;
    private long lastProbeNanos;
    private int progressedSinceCheck;

    TcpHeartbeats(final TcpPair[] pairs)
    {
        this.pairs = pairs;
    }

    /** Sets the silence bound (JCCL_HEARTBEAT_TIMEOUT) and with it the interval. */
    void timeout(final Duration heartbeatTimeout)
    {
        timeoutNanos = heartbeatTimeout.toNanos();
        intervalNanos = Math.min(MAX_INTERVAL_NANOS, timeoutNanos / 4);
    }

    long intervalNanos()
    {
        return intervalNanos;
    }

    /**
     * Called after each progressing poll: every {@link #CHECK_EVERY} of them looks at the clock, so
     * a long transfer to one peer does not starve the others of heartbeats.
     */
    void afterProgress(final MessageHeader current)
    {
        if (++progressedSinceCheck >= CHECK_EVERY)
        {
            progressedSinceCheck = 0;
            sendIfDue(System.nanoTime(), current);
        }
    }

    /**
     * Every live link gets a heartbeat each interval, also peers this rank owes nothing: they may be
     * waiting on it. A peer that has finished and closed makes the write fail, which
     * {@link TcpPair#write} takes as that peer's normal exit when no data was pending.
     */
    void sendIfDue(final long now, final MessageHeader current)
    {
        if (now - lastProbeNanos < intervalNanos)
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
     *
     * @return the failure of the first such peer, or null when every awaited peer was heard from.
     */
    PeerFailureException silentPeer(final long now, final long callStartNanos, final MessageHeader current)
    {
        for (final TcpPair pair : pairs)
        {
            if (pair == null || !pair.awaitsPeer() || !pair.wantsRead())
            {
                continue;
            }
            final long silent = now - Math.max(pair.lastHeardNanos, callStartNanos);
            if (silent > timeoutNanos)
            {
                return new PeerFailureException(pair.peer, pair.peerHost, "silent for " +
                    TimeUnit.NANOSECONDS.toMillis(silent) + " ms while " + describe(current) + " waited on it " +
                    "(heartbeat timeout " + Duration.ofNanos(timeoutNanos) + ", JCCL_HEARTBEAT_TIMEOUT): " +
                    "process frozen or host unreachable");
            }
        }
        return null;
    }

    private static String describe(final MessageHeader current)
    {
        return (current.kind() == null ? "collective" : current.kind().apiName()) + " seq " + current.sequence();
    }
}
