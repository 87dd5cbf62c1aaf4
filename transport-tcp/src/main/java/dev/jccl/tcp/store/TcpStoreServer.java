package dev.jccl.tcp.store;

import dev.jccl.tcp.HandshakeIo;
import dev.jccl.tcp.RefusalLog;
import dev.jccl.wire.Handshake;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static dev.jccl.tcp.store.StoreDescriptor.*;
import static dev.jccl.wire.HandshakeDescriptor.ROLE_STORE_CLIENT;
import static dev.jccl.wire.HandshakeDescriptor.STATUS_BAD_ROLE;
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
    private static final int IO_BUFFER_SIZE = 64 * 1024;

    private final Handshake handshake;
    private final ServerSocketChannel listener;
    private final int port;
    /** Longest close() waits for answers already being written. */
    private static final long DRAIN_TIMEOUT_MS = 500;
    private final Thread acceptor;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final RefusalLog refusalLog;
    /** Malformed requests from authenticated clients: a bug worth a line, but once per host, not per request. */
    private final RefusalLog malformedLog;
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicInteger connectionIds = new AtomicInteger();

    /** Guards {@link #data}; notified on every change. */
    private final Object lock = new Object();
    private final Map<String, byte[]> data = new HashMap<>();

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
        synchronized (lock)
        {
            return data.size();
        }
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
        synchronized (lock)
        {
            lock.notifyAll();
        }
        // A request being answered finishes its reply first: a client whose SET released the
        // closing host's WAIT would otherwise see its own answer cut off (EOF) and fail.
        drainAnswers(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_TIMEOUT_MS));
        for (final Connection connection : connections)
        {
            connection.close();
        }
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_TIMEOUT_MS);
        join(acceptor, deadline);
        for (final Connection connection : connections)
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
        for (final Connection connection : connections)
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
            final Connection connection = new Connection(channel);
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

    private void logRefusal(final SocketAddress remote, final String reason)
    {
        refused.incrementAndGet();
        refusalLog.refused(remote, reason);
    }

    private static SocketAddress remoteOf(final SocketChannel channel)
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

    /** One client connection and its thread. */
    private final class Connection
    {
        private final SocketChannel channel;
        private final SocketAddress remote;
        private volatile Thread thread;
        /** Between reading a request and flushing its answer (see {@link #close()}). */
        private volatile boolean answering;
        private int rank = Integer.MIN_VALUE;

        Connection(final SocketChannel channel)
        {
            this.channel = channel;
            this.remote = remoteOf(channel);
        }

        void close()
        {
            closeQuietly(channel);
        }

        void run()
        {
            try
            {
                final HandshakeIo.Accepted who = HandshakeIo.accept(
                    channel, handshake, STORE_RANK, (role, claimedRank) -> role == ROLE_STORE_CLIENT ? (byte)0 /* STATUS_OK */ : STATUS_BAD_ROLE);
                rank = who.rank;
                serve();
            }
            catch (final HandshakeIo.Refused ex)
            {
                if (!closed.get())
                {
                    logRefusal(remote, ex.getMessage());
                }
            }
            catch (final EOFException ex)
            {
                if (!closed.get())
                {
                    LOG.log(DEBUG, () -> describe() + " closed its connection in the middle of a request");
                }
            }
            catch (final IOException | RuntimeException ex)
            {
                if (!closed.get())
                {
                    LOG.log(DEBUG, () -> describe() + " dropped: " + ex);
                }
            }
            catch (final InterruptedException ex)
            {
                // Only close() interrupts; fall through to cleanup.
            }
            finally
            {
                close();
                connections.remove(this);
            }
        }

        private String describe()
        {
            return "store client" + (rank == Integer.MIN_VALUE ? "" : " rank " + rank) + " at " + remote;
        }

        private void serve() throws IOException, InterruptedException
        {
            final DataInputStream in = new DataInputStream(new BufferedInputStream(channel.socket().getInputStream(), IO_BUFFER_SIZE));
            final DataOutputStream out = new DataOutputStream(new BufferedOutputStream(channel.socket().getOutputStream(), IO_BUFFER_SIZE));
            final byte[] header = new byte[REQUEST_HEADER_LENGTH];
            while (!closed.get())
            {
                final StoreWire.Request request;
                try
                {
                    request = StoreWire.readRequest(in, header);
                }
                catch (final StoreWire.MalformedException ex)
                {
                    malformed.incrementAndGet();
                    malformedLog.refused(remote, describe() + " sent a malformed request (" + ex.getMessage() +
                        "); closing its connection");
                    return;
                }
                if (request == null)
                {
                    return;
                }
                answering = true;
                try
                {
                    if (!handle(request, out))
                    {
                        return;
                    }
                }
                finally
                {
                    answering = false;
                }
            }
        }
    }

    /** @return false when the server closed while the request waited (no answer sent). */
    private boolean handle(final StoreWire.Request request, final DataOutputStream out) throws IOException, InterruptedException
    {
        final String key = request.keys[0];
        switch (request.opcode)
        {
            case OP_SET:
            {
                final String error;
                synchronized (lock)
                {
                    error = put(key, request.values[0]);
                }
                respondOkOrError(out, error, 0);
                return true;
            }
            case OP_GET:
            {
                final byte[] value;
                synchronized (lock)
                {
                    if (!awaitLocked(request.keys, request.arg).isEmpty())
                    {
                        value = null;
                    }
                    else
                    {
                        value = data.get(key);
                    }
                }
                if (closed.get())
                {
                    return false;
                }
                if (value == null)
                {
                    StoreWire.writeResponse(out, STATUS_TIMEOUT, 0, key.getBytes(StandardCharsets.UTF_8));
                }
                else
                {
                    StoreWire.writeResponse(out, STATUS_OK, 0, value);
                }
                return true;
            }
            case OP_WAIT:
            {
                final List<String> missing;
                synchronized (lock)
                {
                    missing = awaitLocked(request.keys, request.arg);
                }
                if (closed.get())
                {
                    return false;
                }
                final byte[][] parts = new byte[missing.size()][];
                for (int i = 0; i < parts.length; i++)
                {
                    parts[i] = missing.get(i).getBytes(StandardCharsets.UTF_8);
                }
                StoreWire.writeResponse(out, missing.isEmpty() ? STATUS_OK : STATUS_TIMEOUT, 0, parts);
                return true;
            }
            case OP_ADD:
            {
                String error = null;
                long result = 0;
                synchronized (lock)
                {
                    final byte[] old = data.get(key);
                    long current = 0;
                    if (old != null)
                    {
                        try
                        {
                            current = Long.parseLong(new String(old, StandardCharsets.US_ASCII).trim());
                        }
                        catch (final NumberFormatException ex)
                        {
                            error = "key '" + key + "' holds " + old.length + " bytes that are not a decimal counter";
                        }
                    }
                    if (error == null)
                    {
                        result = current + request.arg;
                        error = put(key, Long.toString(result).getBytes(StandardCharsets.US_ASCII));
                    }
                }
                respondOkOrError(out, error, result);
                return true;
            }
            case OP_COMPARE_SET:
            {
                final byte[] expected = request.values[0];
                final byte[] desired = request.values[1];
                String error = null;
                byte[] now;
                synchronized (lock)
                {
                    final byte[] old = data.get(key);
                    if (old == null ? expected.length == 0 : Arrays.equals(old, expected))
                    {
                        error = put(key, desired);
                        now = error == null ? desired : new byte[0];
                    }
                    else
                    {
                        now = old == null ? new byte[0] : old;
                    }
                }
                if (error != null)
                {
                    respondOkOrError(out, error, 0);
                }
                else
                {
                    StoreWire.writeResponse(out, STATUS_OK, 0, now);
                }
                return true;
            }
            case OP_DELETE:
            {
                final boolean existed;
                synchronized (lock)
                {
                    existed = data.remove(key) != null;
                }
                StoreWire.writeResponse(out, existed ? STATUS_OK : STATUS_NOT_FOUND, 0);
                return true;
            }
            case OP_CHECK:
            {
                final boolean exists;
                synchronized (lock)
                {
                    exists = data.containsKey(key);
                }
                StoreWire.writeResponse(out, exists ? STATUS_OK : STATUS_NOT_FOUND, 0);
                return true;
            }
            default:
                throw new IllegalStateException("unreachable: opcode " + request.opcode + " passed validation");
        }
    }

    private static void respondOkOrError(final DataOutputStream out, final String error, final long arg) throws IOException
    {
        if (error == null)
        {
            StoreWire.writeResponse(out, STATUS_OK, arg);
        }
        else
        {
            byte[] message = error.getBytes(StandardCharsets.UTF_8);
            if (message.length > MAX_ERROR_LENGTH)
            {
                message = Arrays.copyOf(message, MAX_ERROR_LENGTH);
            }
            StoreWire.writeResponse(out, STATUS_ERROR, 0, message);
        }
    }

    /** Stores a value (the caller holds {@link #lock}); returns an error message, or null when stored. */
    private String put(final String key, final byte[] value)
    {
        if (data.size() >= MAX_KEYS && !data.containsKey(key))
        {
            return "store full: it holds " + MAX_KEYS + " keys, the most it takes (delete unused keys)";
        }
        data.put(key, value);
        lock.notifyAll();
        return null;
    }

    /** Waits (holding {@link #lock}) until every key exists, the wait ends, or the server closes; returns those missing. */
    private List<String> awaitLocked(final String[] keys, final long waitMs) throws InterruptedException
    {
        final long boundedMs = Math.max(0, Math.min(waitMs, MAX_WAIT_MS));
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(boundedMs);
        while (true)
        {
            final List<String> missing = new ArrayList<>();
            for (final String key : keys)
            {
                if (!data.containsKey(key))
                {
                    missing.add(key);
                }
            }
            if (missing.isEmpty() || closed.get())
            {
                return missing;
            }
            final long remainingNanos = deadline - System.nanoTime();
            if (remainingNanos <= 0)
            {
                return missing;
            }
            TimeUnit.NANOSECONDS.timedWait(lock, remainingNanos);
        }
    }

    private static void closeQuietly(final java.nio.channels.Channel channel)
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
