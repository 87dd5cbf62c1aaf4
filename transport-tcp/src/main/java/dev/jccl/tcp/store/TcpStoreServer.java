package dev.jccl.tcp.store;

import dev.jccl.tcp.HandshakeIo;
import dev.jccl.tcp.RefusalLog;
import dev.jccl.wire.Handshake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * The bootstrap key-value store server (c10d TCPStore style), speaking {@link StoreDescriptor}.
 *
 * <p>Threads: one acceptor ({@code jccl-store-acceptor-PORT}) and one thread per connection
 * ({@code jccl-store-conn-PORT-N}), at most {@link #MAX_CONNECTIONS} of them, all daemons. Each
 * connection first completes the HMAC handshake as the acceptor, admitting only
 * {@code ROLE_STORE_CLIENT}; nothing is served before that. A refused handshake is logged once
 * with its reason once per source host per minute ({@link RefusalLog}; repeats go to DEBUG) and only that
 * connection is closed. A malformed request closes only its connection. Blocking GET and WAIT
 * park their connection's thread until the keys appear or the request's own timeout passes;
 * clients send one request at a time, so that costs nothing else. (A client that disconnects
 * during such a wait frees its thread only when the wait ends; the wait is the client's own
 * timeout, at most {@code MAX_WAIT_MS}.) Connections still handshaking count towards
 * {@link #MAX_CONNECTIONS}; a stalled handshake is dropped after
 * {@link HandshakeIo#HANDSHAKE_READ_TIMEOUT_MS}.
 *
 * <p>{@link #close()} closes the listener and every connection, wakes every waiter, and waits at
 * most {@link #CLOSE_TIMEOUT_MS} for the threads to finish; clients then see "gone".
 *
 * <p>This class binds, accepts and closes; each connection is a {@link StoreConnection}, and the
 * keys with the requests on them live in {@link StoreKeyTable}.
 */
public final class TcpStoreServer implements AutoCloseable
{
    /** Most concurrent connections (each holds one thread); more are closed at once and logged. */
    public static final int MAX_CONNECTIONS = 4096;
    /** Upper bound on how long {@link #close()} waits for the server's threads. */
    public static final long CLOSE_TIMEOUT_MS = 2_000;
    /** The rank the store answers with in the handshake (it is not a rank of the job). */
    public static final int STORE_RANK = -1;

    /** Longest wait a request may ask for (longer ones are cut to this): 30 days. */
    static final long MAX_WAIT_MS = TimeUnit.DAYS.toMillis(30);

    private static final System.Logger LOG = System.getLogger(TcpStoreServer.class.getName());
    private static final long THREAD_STACK_SIZE = 256 * 1024;

    private final Handshake handshake;
    private final ServerSocketChannel listener;
    private final int port;
    /** Longest close() waits for answers already being written. */
    private static final long DRAIN_TIMEOUT_MS = 500;
    private final Thread acceptor;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Set<StoreConnection> connections = ConcurrentHashMap.newKeySet();
    private final RefusalLog refusalLog;
    /** Malformed requests from authenticated clients: a bug worth a line, but once per host, not per request. */
    private final RefusalLog malformedLog;
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicInteger connectionIds = new AtomicInteger();

    /** The keys and the requests on them. */
    private final StoreKeyTable keys = new StoreKeyTable(closed);

    /**
     * Binds and starts serving.
     *
     * @param bindHost address to listen on; null, empty, {@code "*"} or {@code "0.0.0.0"} for every interface.
     * @param port     TCP port, 0 for an ephemeral one (see {@link #port()}).
     * @throws UncheckedIOException when binding fails; its cause is a {@link java.net.BindException}
     *                              when something already listens there.
     */
    public TcpStoreServer(final String bindHost, final int port, final Handshake handshake)
    {
        this.handshake = java.util.Objects.requireNonNull(handshake, "handshake");
        final InetSocketAddress address = isWildcard(bindHost) ? new InetSocketAddress(port) : new InetSocketAddress(bindHost, port);
        ServerSocketChannel channel = null;
        try
        {
            channel = ServerSocketChannel.open();
            channel.bind(address, 1024);
        }
        catch (final IOException ex)
        {
            closeQuietly(channel);
            throw new UncheckedIOException("bootstrap store cannot listen on " + address + ": " + ex.getMessage(), ex);
        }
        this.listener = channel;
        this.port = channel.socket().getLocalPort();
        this.refusalLog = new RefusalLog(LOG, "bootstrap store on port " + this.port);
        this.malformedLog = new RefusalLog(LOG, "bootstrap store on port " + this.port);
        this.acceptor = new Thread(null, this::acceptLoop, "jccl-store-acceptor-" + this.port, THREAD_STACK_SIZE);
        acceptor.setDaemon(true);
        acceptor.start();
        LOG.log(INFO, () -> "bootstrap store listening on " + listener.socket().getLocalSocketAddress());
    }

    private static boolean isWildcard(final String bindHost)
    {
        return bindHost == null || bindHost.isEmpty() || bindHost.equals("*") || bindHost.equals("0.0.0.0");
    }

    /** The port it listens on (the ephemeral one when constructed with 0). */
    public int port()
    {
        return port;
    }

    /** Connections refused during the handshake or for being over {@link #MAX_CONNECTIONS}, since start. */
    public long refusedConnections()
    {
        return refused.get();
    }

    /** Authenticated connections dropped for a malformed request, since start. */
    public long malformedRequests()
    {
        return malformed.get();
    }

    /** Connections open now (handshaking or authenticated). */
    public int connectionCount()
    {
        return connections.size();
    }

    /** Keys held now. */
    public int keyCount()
    {
        return keys.size();
    }

    public boolean isClosed()
    {
        return closed.get();
    }

    @Override
    public void close()
    {
        if (!closed.compareAndSet(false, true))
        {
            return;
        }
        closeQuietly(listener);
        keys.wakeWaiters();
        // A request being answered finishes its reply first: a client whose SET released the
        // closing host's WAIT would otherwise see its own answer cut off (EOF) and fail.
        drainAnswers(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_TIMEOUT_MS));
        for (final StoreConnection connection : connections)
        {
            connection.close();
        }
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_TIMEOUT_MS);
        join(acceptor, deadline);
        for (final StoreConnection connection : connections)
        {
            if (connection.thread != null)
            {
                join(connection.thread, deadline);
            }
        }
        LOG.log(DEBUG, () -> "bootstrap store on port " + port + " closed");
    }

    private void drainAnswers(final long deadlineNanos)
    {
        for (final StoreConnection connection : connections)
        {
            while (connection.answering && connection.thread != Thread.currentThread() && System.nanoTime() < deadlineNanos)
            {
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
            }
        }
    }

    private static void join(final Thread thread, final long deadlineNanos)
    {
        if (thread == Thread.currentThread())
        {
            return;
        }
        final long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        if (remainingMs <= 0)
        {
            return;
        }
        try
        {
            thread.join(remainingMs);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString()
    {
        return "TcpStoreServer{port=" + port + ", keys=" + keyCount() + ", connections=" + connections.size() + "}";
    }

    private void acceptLoop()
    {
        while (!closed.get())
        {
            final SocketChannel channel;
            try
            {
                channel = listener.accept();
            }
            catch (final ClosedChannelException ex)
            {
                break;
            }
            catch (final IOException ex)
            {
                if (closed.get())
                {
                    break;
                }
                // E.g. out of file descriptors: say so, back off, keep serving those connected.
                LOG.log(WARNING, () -> "bootstrap store on port " + port + " failed to accept: " + ex);
                sleepQuietly(50);
                continue;
            }
            if (connections.size() >= MAX_CONNECTIONS)
            {
                logRefusal(remoteOf(channel), "more than " + MAX_CONNECTIONS + " connections open");
                closeQuietly(channel);
                continue;
            }
            final StoreConnection connection = new StoreConnection(this, keys, channel);
            connections.add(connection);
            final Thread thread = new Thread(
                null, connection::run, "jccl-store-conn-" + port + "-" + connectionIds.incrementAndGet(), THREAD_STACK_SIZE);
            thread.setDaemon(true);
            connection.thread = thread;
            if (closed.get())
            {
                connection.close();
                connections.remove(connection);
                break;
            }
            thread.start();
        }
    }

    Handshake handshake()
    {
        return handshake;
    }

    void logRefusal(final SocketAddress remote, final String reason)
    {
        refused.incrementAndGet();
        refusalLog.refused(remote, reason);
    }

    /** An authenticated client sent a malformed request; its connection closes. */
    void logMalformed(final SocketAddress remote, final String what)
    {
        malformed.incrementAndGet();
        malformedLog.refused(remote, what);
    }

    void removed(final StoreConnection connection)
    {
        connections.remove(connection);
    }

    static SocketAddress remoteOf(final SocketChannel channel)
    {
        try
        {
            return channel.getRemoteAddress();
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    static void closeQuietly(final java.nio.channels.Channel channel)
    {
        if (channel != null)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ignore)
            {
                // Closing anyway.
            }
        }
    }

    private static void sleepQuietly(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
