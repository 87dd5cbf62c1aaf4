package dev.jccl.spi;

import dev.jccl.Communicator;
import dev.jccl.JcclConfig;
import dev.jccl.store.Store;
import dev.jccl.wire.Handshake;

/**
 * A transport found through {@link java.util.ServiceLoader}. {@code Jccl.init} picks one by
 * {@code JCCL_TRANSPORT}; under "auto" the available provider with the highest priority wins.
 */
public interface TransportProvider
{
    /** "tcp", "shm", "nccl". */
    String name();

    /** Preference under {@code JCCL_TRANSPORT=auto}; higher wins. */
    int priority();

    /**
     * Why this transport cannot run here (missing library, no device), or null when it can.
     * Must not throw, and must not load anything that fails with a linkage error.
     */
    String unavailableReason(JcclConfig config);

    /**
     * Under {@code JCCL_TRANSPORT=auto}: why this transport should not run this job, given where
     * every rank is ({@code hosts}, the same on every rank). A same-host transport declines jobs
     * that span hosts here. Defaults to {@link #unavailableReason(JcclConfig)}.
     */
    default String unavailableReason(JcclConfig config, RankHosts hosts)
    {
        return unavailableReason(config);
    }

    /**
     * Joins the job: rendezvous through {@code store} (already namespaced for this communicator)
     * and returns a ready communicator. Collective calls on it may start at once.
     */
    Communicator create(JcclConfig config, Store store, Handshake handshake, long communicatorId);

    /**
     * {@link #create(JcclConfig, Store, Handshake, long)} knowing where every rank runs
     * ({@code hosts}: exchanged under {@code JCCL_TRANSPORT=auto}, else null). A transport that
     * routes by host needs it; the others ignore it.
     */
    default Communicator create(
        final JcclConfig config, final Store store, final Handshake handshake, final long communicatorId, final RankHosts hosts)
    {
        return create(config, store, handshake, communicatorId);
    }
}
