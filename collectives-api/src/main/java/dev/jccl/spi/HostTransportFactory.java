package dev.jccl.spi;

import dev.jccl.JcclConfig;
import dev.jccl.store.Store;
import dev.jccl.wire.Handshake;

import java.util.function.IntPredicate;

/**
 * Builds a bare {@link HostTransport} (no communicator around it) over a group of ranks, for a
 * transport that composes others: {@link dev.jccl.route.RoutedTransport} joins a shared-memory
 * transport over the ranks of one host and a network transport over the whole job. Found through
 * {@link java.util.ServiceLoader} by {@link #name()}, so no transport imports another.
 */
public interface HostTransportFactory
{
    /** The transport's name, as {@link TransportProvider#name()}: "tcp", "shm". */
    String name();

    /** Why this transport cannot run here, or null when it can (as {@link TransportProvider#unavailableReason(JcclConfig)}). */
    String unavailableReason(JcclConfig config);

    /**
     * Joins the group: rendezvous through {@code store} (namespaced for this group alone) and
     * returns a connected transport with liveness watching started.
     *
     * @param rank           this rank's index in the group.
     * @param size           ranks in the group.
     * @param communicatorId the communicator the transport serves (headers and file names carry it).
     */
    HostTransport connect(JcclConfig config, Store store, Handshake handshake, int rank, int size, long communicatorId);

    /**
     * As {@link #connect(JcclConfig, Store, Handshake, int, int, long)}, but the caller will only
     * ever exchange messages with the group ranks {@code linked} accepts: the routed transport
     * sends to ranks of its own host through shared memory, so its network transport need not
     * connect (handshake, hold a socket, send heartbeats to) them. Rank numbering is unchanged.
     *
     * <p>{@code linked} must be symmetric: rank a accepts b exactly when b accepts a (a predicate
     * on host names, as the routed transport's, is). A transport that connects fewer peers must
     * fail a send or receive to a rank it left out with {@link IllegalStateException} naming that
     * rank, never hang or fail as if the peer had died. Failure news still reaches every rank the
     * caller reaches some other way: the routed transport relays it through shared memory.
     *
     * <p>The default connects the whole group, which serves every linked peer too: right for a
     * transport whose links cost nothing until used.
     */
    default HostTransport connect(
        final JcclConfig config, final Store store, final Handshake handshake, final int rank, final int size,
        final long communicatorId, final IntPredicate linked)
    {
        return connect(config, store, handshake, rank, size, communicatorId);
    }
}
