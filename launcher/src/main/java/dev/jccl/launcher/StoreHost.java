package dev.jccl.launcher;

import dev.jccl.tcp.store.TcpStoreServer;
import dev.jccl.wire.Handshake;

/**
 * The bootstrap store the launcher hosts for the job (DESIGN.md, "Bootstrap store"): a
 * {@link TcpStoreServer} that answers only clients holding the job token and run id, on an
 * ephemeral port that ranks find through {@code JCCL_STORE} and {@code MASTER_ADDR/MASTER_PORT}.
 */
public final class StoreHost implements AutoCloseable
{
    private final String bindHost;
    private final TcpStoreServer server;

    private StoreHost(final String bindHost, final TcpStoreServer server)
    {
        this.bindHost = bindHost;
        this.server = server;
    }

    /**
     * @param bindHost address to listen on ({@code 127.0.0.1} for single-host jobs, {@code 0.0.0.0} otherwise).
     */
    public static StoreHost start(final String bindHost, final byte[] token, final String runId)
    {
        return new StoreHost(bindHost, new TcpStoreServer(bindHost, 0, new Handshake(token, runId)));
    }

    public String bindHost()
    {
        return bindHost;
    }

    public int port()
    {
        return server.port();
    }

    @Override
    public void close()
    {
        server.close();
    }
}
