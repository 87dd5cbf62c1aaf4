package dev.jccl.nccl;

import dev.jccl.CollectiveException;
import dev.jccl.CommunicatorAbortedException;
import dev.jccl.PeerFailureException;
import dev.jccl.store.Store;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static java.lang.System.Logger.Level.DEBUG;

/**
 * The peer monitor thread's loop (world size > 1). A killed process cannot say it died, and NCCL's
 * intra-node transports would wait for it forever, so every rank keeps a heartbeat counter in the
 * bootstrap store and watches the next rank's: no beat for the peer timeout while a call is in
 * flight breaks the communicator with {@link PeerFailureException}. It also relays aborts: a
 * failure on this rank is published under {@link #ABORT_KEY}, and one published by another rank
 * breaks this rank too (and is not published back). It ends after a failure or at close.
 */
final class PeerMonitor implements Runnable
{
    /** Abort published to every rank through the store. */
    static final String ABORT_KEY = "nccl/abort";
    static final String HEARTBEAT_KEY = "nccl/hb/";

    private static final System.Logger LOG = System.getLogger(NcclCommunicator.class.getName());
    private static final long HEARTBEAT_NANOS = TimeUnit.MILLISECONDS.toNanos(Long.getLong("jccl.nccl.heartbeatMs", 1000));
    private static final long PEER_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(Long.getLong("jccl.nccl.peerTimeoutMs", 30_000));
    /** Consecutive store errors during a call that count as the store being gone. */
    private static final int STORE_ERRORS_TO_FAIL = 3;

    private final int rank;
    private final int peer;
    private final String peerHost;
    private final long communicatorId;
    private final Store store;
    private final CommHealth health;
    private final InFlightCall inFlight;

    PeerMonitor(
        final int rank, final int size, final String peerHost, final long communicatorId, final Store store, final CommHealth health,
        final InFlightCall inFlight)
    {
        this.rank = rank;
        this.peer = (rank + 1) % size;
        this.peerHost = peerHost;
        this.communicatorId = communicatorId;
        this.store = store;
        this.health = health;
        this.inFlight = inFlight;
    }

    @Override
    public void run()
    {
        long lastBeat = -1;
        long lastChange = System.nanoTime();
        int storeErrors = 0;
        boolean published = false;
        // The failure came from another rank through the store: not published back.
        boolean relayed = false;
        while (!health.isClosed())
        {
            try
            {
                final CollectiveException broken = health.failure();
                if (broken != null)
                {
                    if (!published && !relayed)
                    {
                        store.set(ABORT_KEY, ("rank " + rank + ": " + broken.getMessage()).getBytes(StandardCharsets.UTF_8));
                    }
                    published = true;
                    break;
                }
                store.add(HEARTBEAT_KEY + rank, 1);
                if (store.check(ABORT_KEY))
                {
                    final String why = new String(store.get(ABORT_KEY), StandardCharsets.UTF_8);
                    published = true;
                    relayed = true;
                    health.broken(new CommunicatorAbortedException("communicator " + communicatorId + " was aborted by a peer: " + why));
                    continue;
                }
                final long beat = store.add(HEARTBEAT_KEY + peer, 0);
                final long now = System.nanoTime();
                if (beat != lastBeat)
                {
                    lastBeat = beat;
                    lastChange = now;
                }
                else if (inFlight.active() && now - lastChange > PEER_TIMEOUT_NANOS)
                {
                    health.broken(new PeerFailureException(peer, peerHost, "no heartbeat in the bootstrap store for " +
                        TimeUnit.NANOSECONDS.toSeconds(now - lastChange) + " s while " + inFlight.name() + " was in flight"));
                    continue;
                }
                storeErrors = 0;
            }
            catch (final RuntimeException ex)
            {
                if (health.isClosed())
                {
                    break;
                }
                storeErrors++;
                LOG.log(DEBUG, "rank {0}: store poll failed: {1}", rank, ex.toString());
                if (storeErrors >= STORE_ERRORS_TO_FAIL && inFlight.active())
                {
                    health.broken(new CollectiveException("rank " + rank + ": the bootstrap store stopped answering while " + inFlight.name() +
                        " was in flight (" + ex.getMessage() + ")", ex));
                }
            }
            LockSupport.parkNanos(HEARTBEAT_NANOS);
        }
    }
}
