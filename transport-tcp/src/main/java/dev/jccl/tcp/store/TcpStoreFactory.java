package dev.jccl.tcp.store;

import dev.jccl.JcclConfig;
import dev.jccl.store.Store;
import dev.jccl.store.StoreFactory;
import dev.jccl.wire.Handshake;

/**
 * The TCP {@link StoreFactory}, registered for {@link java.util.ServiceLoader}: connects to the
 * config's store address, rank 0 hosting it where it is local and free (see {@link StoreBootstrap}).
 * A single-rank job without a store address gets a private store on an ephemeral loopback port.
 */
public final class TcpStoreFactory implements StoreFactory
{
    public TcpStoreFactory()
    {
    }

    @Override
    public Store connect(final JcclConfig config, final Handshake handshake)
    {
        final String host = config.storeHost();
        if (host == null || host.isEmpty())
        {
            if (config.worldSize() <= 1)
            {
                return StoreBootstrap.connectOrHost("127.0.0.1", 0, 0, handshake, config.timeout());
            }
            throw new IllegalArgumentException("store host (JCCL_STORE or MASTER_ADDR) is required when world size > 1");
        }
        return StoreBootstrap.connectOrHost(host, config.storePort(), config.rank(), handshake, config.timeout());
    }
}
