package dev.jccl.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * The bootstrap store the launcher hosts for the job (DESIGN.md, "Bootstrap store").
 *
 * <p>Stand-in until {@code dev.jccl.tcp.store.TcpStoreServer} lands on main: it only picks a free
 * port, and nothing listens there yet, so rank 0 starts the store at that address (the DESIGN's
 * fallback for "store address given but no store runs there"). Wiring the real server changes
 * {@link #start} and {@link #close} only.
 */
public final class StoreHost implements AutoCloseable
{
    private final String bindHost;
    private final int port;

    private StoreHost(final String bindHost, final int port)
    {
        this.bindHost = bindHost;
        this.port = port;
    }

    /**
     * @param bindHost address to listen on ({@code 127.0.0.1} for single-host jobs, {@code 0.0.0.0} otherwise).
     */
    public static StoreHost start(final String bindHost, final byte[] token, final String runId)
    {
        try (ServerSocket probe = new ServerSocket())
        {
            probe.bind(new InetSocketAddress(InetAddress.getByName(bindHost), 0));
            return new StoreHost(bindHost, probe.getLocalPort());
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot open the bootstrap store on " + bindHost, e);
        }
    }

    public String bindHost()
    {
        return bindHost;
    }

    public int port()
    {
        return port;
    }

    @Override
    public void close()
    {
        // nothing runs yet
    }
}
