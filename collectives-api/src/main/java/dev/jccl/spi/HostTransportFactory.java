package dev.jccl.spi;

import dev.jccl.JcclConfig;
import dev.jccl.store.Store;
import dev.jccl.wire.Handshake;

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
}
