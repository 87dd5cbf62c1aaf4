package dev.jccl.tcp.store;

import dev.jccl.store.Store;
import dev.jccl.wire.Handshake;

import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import static java.lang.System.Logger.Level.INFO;

/**
 * How a rank reaches the job's bootstrap store: rank 0 hosts it when the store address is one of
 * this machine's and nothing listens there yet (the launcher may already host it); then every
 * rank, rank 0 included, connects to it as a client.
 *
 * <p>Where rank 0 hosts, it listens on every interface (other hosts reach it by the name or
 * address given), or only on the loopback address when the given host is a loopback one.
 *
 * <p>Lifetime: closing the store returned to rank 0 also closes the server it hosts, so other
 * ranks still using the store then see "bootstrap store ... is gone". Rank 0 should therefore
 * close its store last (after a final barrier); the launcher hosting the store avoids the issue.
 */
public final class StoreBootstrap
{
    private static final System.Logger LOG = System.getLogger(StoreBootstrap.class.getName());

    private StoreBootstrap()
    {
    }

    /**
     * @param host    store host name or address, as every rank was told.
     * @param port    store port (0 only makes sense for a single process: rank 0 hosts on an ephemeral port).
     * @param rank    this process's rank; only rank 0 may host.
     * @param timeout how long to wait for the store to come up; also the store's default timeout.
     * @return a store; for rank 0 when it hosts, a {@link HostedStore} whose close also stops the server.
     */
    public static Store connectOrHost(
        final String host, final int port, final int rank, final Handshake handshake, final Duration timeout)
    {
        TcpStoreServer server = null;
        if (rank == 0 && isLocalAddress(host))
        {
            server = tryHost(host, port, handshake);
        }
        if (server == null)
        {
            return TcpStoreClient.connect(host, port, handshake, rank, timeout);
        }
        try
        {
            return new HostedStore(TcpStoreClient.connect(host, server.port(), handshake, rank, timeout), server);
        }
        catch (final RuntimeException ex)
        {
            server.close();
            throw ex;
        }
    }

    /** @return the server, or null when something already listens on that port. */
    private static TcpStoreServer tryHost(final String host, final int port, final Handshake handshake)
    {
        final String bindHost = allLoopback(host) ? host : null;
        try
        {
            return new TcpStoreServer(bindHost, port, handshake);
        }
        catch (final UncheckedIOException ex)
        {
            if (ex.getCause() instanceof BindException)
            {
                LOG.log(INFO, () -> "port " + port + " on " + host + " is taken (the launcher's store?); rank 0 connects to it as a client");
                return null;
            }
            throw ex;
        }
    }

    private static boolean allLoopback(final String host)
    {
        try
        {
            final InetAddress[] addresses = InetAddress.getAllByName(host);
            for (final InetAddress address : addresses)
            {
                if (!address.isLoopbackAddress())
                {
                    return false;
                }
            }
            return addresses.length > 0;
        }
        catch (final UnknownHostException ex)
        {
            return false;
        }
    }

    /**
     * Whether {@code host} names this machine: {@code localhost}, a loopback or wildcard address, an
     * address of one of its network interfaces, or its host name (short or fully qualified, which
     * also works while the name does not resolve yet).
     */
    public static boolean isLocalAddress(final String host)
    {
        if (host == null || host.isEmpty())
        {
            return false;
        }
        final String name = host.toLowerCase(Locale.ROOT);
        if (name.equals("localhost"))
        {
            return true;
        }
        try
        {
            for (final InetAddress address : InetAddress.getAllByName(host))
            {
                if (address.isLoopbackAddress() || address.isAnyLocalAddress() || NetworkInterface.getByInetAddress(address) != null)
                {
                    return true;
                }
            }
        }
        catch (final UnknownHostException | SocketException ex)
        {
            // Fall through to the name comparison.
        }
        try
        {
            final String local = InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
            return name.equals(local) || name.startsWith(local + ".") || local.startsWith(name + ".");
        }
        catch (final UnknownHostException ex)
        {
            return false;
        }
    }

    /** The store of the rank that hosts it: a client of its own server; closing it closes both. */
    public static final class HostedStore implements Store
    {
        private final TcpStoreClient client;
        private final TcpStoreServer server;

        HostedStore(final TcpStoreClient client, final TcpStoreServer server)
        {
            this.client = client;
            this.server = server;
        }

        public TcpStoreServer server()
        {
            return server;
        }

        public TcpStoreClient client()
        {
            return client;
        }

        @Override
        public void set(final String key, final byte[] value)
        {
            client.set(key, value);
        }

        @Override
        public byte[] get(final String key)
        {
            return client.get(key);
        }

        @Override
        public void waitFor(final List<String> keys, final Duration timeout)
        {
            client.waitFor(keys, timeout);
        }

        @Override
        public long add(final String key, final long delta)
        {
            return client.add(key, delta);
        }

        @Override
        public byte[] compareSet(final String key, final byte[] expected, final byte[] desired)
        {
            return client.compareSet(key, expected, desired);
        }

        @Override
        public boolean delete(final String key)
        {
            return client.delete(key);
        }

        @Override
        public boolean check(final String key)
        {
            return client.check(key);
        }

        @Override
        public Duration timeout()
        {
            return client.timeout();
        }

        @Override
        public void close()
        {
            try
            {
                client.close();
            }
            finally
            {
                server.close();
            }
        }

        @Override
        public String toString()
        {
            return "HostedStore{" + client + ", " + server + "}";
        }
    }
}
