package dev.jccl.store;

import dev.jccl.JcclConfig;
import dev.jccl.wire.Handshake;

/**
 * Connects to (or, on rank 0, hosts) the bootstrap store named by a config. Implemented by the
 * TCP module and found through {@link java.util.ServiceLoader}, so the API needs no transport.
 */
public interface StoreFactory
{
    /**
     * @return a store for this job; closing it releases the connection and any store it hosts.
     */
    Store connect(JcclConfig config, Handshake handshake);
}
