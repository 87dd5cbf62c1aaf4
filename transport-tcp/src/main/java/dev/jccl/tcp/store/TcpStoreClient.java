package dev.jccl.tcp.store;

import dev.jccl.CollectiveException;
import dev.jccl.CollectiveTimeoutException;
import dev.jccl.store.Store;
import dev.jccl.tcp.HandshakeIo;
import dev.jccl.wire.Handshake;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import static dev.jccl.tcp.store.StoreDescriptor.*;
import static dev.jccl.wire.HandshakeDescriptor.ROLE_STORE_CLIENT;

/**
 * Client of a {@link TcpStoreServer}: one authenticated connection, one request at a time
 * (methods are synchronized, so threads may share it). {@link #close()} may be called from any
 * thread and makes a call blocked in {@link #get} or {@link #waitFor} fail at once.
 *
 * <p>Failures: a key that does not appear in time is a {@link CollectiveTimeoutException} naming
 * it; a server that closes the connection, or does not answer within the request's wait plus
 * {@link #ANSWER_GRACE_MS}, is a {@link CollectiveException} saying the store is gone, and every
 * later call fails the same way. Long waits go to the server in slices of {@link #WAIT_SLICE_MS},
 * so a store whose host froze or vanished without a reset (no end of stream ever comes) is
 * noticed within slice + grace, not at the end of a 10-minute wait.
 */
public final class TcpStoreClient implements Store
{
    /** Slack on top of a request's own wait before a silent server counts as gone ({@code -Djccl.store.answerGraceMs}). */
    public static final long ANSWER_GRACE_MS = Math.max(1, Long.getLong("jccl.store.answerGraceMs", 15_000));
    /** The longest wait one GET or WAIT asks of the server ({@code -Djccl.store.waitSliceMs}); a longer wait is several requests. */
    public static final long WAIT_SLICE_MS = Math.max(1, Long.getLong("jccl.store.waitSliceMs", 5_000));

    private static final int IO_BUFFER_SIZE = 64 * 1024;
    private static final int MAX_KEYS_IN_MESSAGE = 20;

    private final String host;
    private final int port;
    private final SocketChannel channel;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final Duration timeout;
    private volatile boolean closed;
    private String broken;

    private TcpStoreClient(final String host, final int port, final SocketChannel channel, final Duration timeout)
        throws IOException
    {
        this.host = host;
        this.port = port;
        this.channel = channel;
        this.timeout = timeout;
        this.in = new DataInputStream(new BufferedInputStream(channel.socket().getInputStream(), IO_BUFFER_SIZE));
        this.out = new DataOutputStream(new BufferedOutputStream(channel.socket().getOutputStream(), IO_BUFFER_SIZE));
    }

    /**
     * Connects and authenticates as {@code clientRank}, retrying while the host does not resolve
     * or nothing listens yet, until {@code timeout}; the same timeout becomes {@link #timeout()}.
     *
     * @throws CollectiveTimeoutException naming {@code host:port} when the store did not come up in time.
     * @throws CollectiveException        when the store refused this client (e.g. another job's token).
     */
    public static TcpStoreClient connect(
        final String host, final int port, final Handshake handshake, final int clientRank, final Duration timeout)
    {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(handshake, "handshake");
        if (timeout == null || timeout.isNegative() || timeout.isZero())
        {
            throw new IllegalArgumentException("store timeout must be positive, got " + timeout);
        }
        if (port < 0 || port > 65535)
        {
            throw new IllegalArgumentException("store port must be 0-65535, got " + port);
        }
        final String where = host + ":" + port;
        final long deadline = System.nanoTime() + saturatedNanos(timeout);
        long backoffMs = 10;
        InetSocketAddress address = new InetSocketAddress(host, port);
        while (address.isUnresolved())
        {
            // Pod DNS names appear some time after the pod starts: wait for them like for the listener.
            if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMs) >= deadline)
            {
                throw new CollectiveTimeoutException("bootstrap store at " + where + " not reachable within " + timeout +
                    ": host name '" + host + "' does not resolve");
            }
            sleep(backoffMs, where);
            backoffMs = Math.min(500, backoffMs * 2);
            address = new InetSocketAddress(host, port);
        }
        final SocketChannel channel;
        try
        {
            channel = HandshakeIo.connect(address, handshake, ROLE_STORE_CLIENT, clientRank, -1, deadline);
        }
        catch (final CollectiveTimeoutException ex)
        {
            final CollectiveTimeoutException named = new CollectiveTimeoutException("bootstrap store at " + where +
                " not reachable within " + timeout + " (is rank 0 or the launcher hosting it up?): " + ex.getMessage());
            named.initCause(ex);
            throw named;
        }
        catch (final CollectiveException ex)
        {
            throw new CollectiveException("bootstrap store at " + where + ": " + ex.getMessage(), ex);
        }
        try
        {
            return new TcpStoreClient(host, port, channel, timeout);
        }
        catch (final IOException ex)
        {
            HandshakeIo.closeQuietly(channel);
            throw new CollectiveException("bootstrap store at " + where + ": " + ex, ex);
        }
    }

    public String host()
    {
        return host;
    }

    public int port()
    {
        return port;
    }

    @Override
    public void set(final String key, final byte[] value)
    {
        call(OP_SET, 0, ANSWER_GRACE_MS, keys(key), checkValue(value));
    }

    @Override
    public byte[] get(final String key)
    {
        final byte[][] keys = keys(key);
        final long deadline = System.nanoTime() + saturatedNanos(timeout);
        StoreWire.Response response;
        do
        {
            final long waitMs = sliceMs(deadline);
            response = call(OP_GET, waitMs, waitMs + ANSWER_GRACE_MS, keys);
        }
        while (response.status == STATUS_TIMEOUT && deadline - System.nanoTime() > 0);
        if (response.status == STATUS_TIMEOUT)
        {
            throw new CollectiveTimeoutException("bootstrap store at " + host + ":" + port + ": key '" + key +
                "' did not appear within " + timeout);
        }
        expect(response, STATUS_OK, 1, "GET");
        return response.parts[0];
    }

    @Override
    public void waitFor(final List<String> keys, final Duration waitTimeout)
    {
        Objects.requireNonNull(keys, "keys");
        if (keys.isEmpty())
        {
            return;
        }
        final byte[][] all = new byte[keys.size()][];
        for (int i = 0; i < all.length; i++)
        {
            all[i] = checkKey(keys.get(i));
        }
        final long deadline = System.nanoTime() + saturatedNanos(waitTimeout);
        for (int from = 0; from < all.length; from += MAX_WAIT_KEYS)
        {
            final byte[][] batch = java.util.Arrays.copyOfRange(all, from, Math.min(all.length, from + MAX_WAIT_KEYS));
            StoreWire.Response response;
            do
            {
                final long waitMs = sliceMs(deadline);
                response = call(OP_WAIT, waitMs, waitMs + ANSWER_GRACE_MS, batch);
            }
            while (response.status == STATUS_TIMEOUT && deadline - System.nanoTime() > 0);
            if (response.status == STATUS_TIMEOUT)
            {
                final List<String> missing = new ArrayList<>(response.parts.length);
                for (final byte[] part : response.parts)
                {
                    missing.add(new String(part, StandardCharsets.UTF_8));
                }
                final int unchecked = all.length - from - batch.length;
                throw new CollectiveTimeoutException("bootstrap store at " + host + ":" + port + ": " + missing.size() +
                    " of " + keys.size() + " keys did not appear within " + waitTimeout + ": " + listKeys(missing) +
                    (unchecked > 0 ? " (" + unchecked + " more not checked)" : ""));
            }
            expect(response, STATUS_OK, 0, "WAIT");
        }
    }

    @Override
    public long add(final String key, final long delta)
    {
        final StoreWire.Response response = call(OP_ADD, delta, ANSWER_GRACE_MS, keys(key));
        expect(response, STATUS_OK, 0, "ADD");
        return response.arg;
    }

    @Override
    public byte[] compareSet(final String key, final byte[] expected, final byte[] desired)
    {
        final StoreWire.Response response = call(OP_COMPARE_SET, 0, ANSWER_GRACE_MS, keys(key), checkValue(expected), checkValue(desired));
        expect(response, STATUS_OK, 1, "COMPARE_SET");
        return response.parts[0];
    }

    @Override
    public boolean delete(final String key)
    {
        return found(call(OP_DELETE, 0, ANSWER_GRACE_MS, keys(key)), "DELETE");
    }

    @Override
    public boolean check(final String key)
    {
        return found(call(OP_CHECK, 0, ANSWER_GRACE_MS, keys(key)), "CHECK");
    }

    @Override
    public Duration timeout()
    {
        return timeout;
    }

    /** Closes the connection; a call blocked in another thread fails at once. Idempotent. */
    @Override
    public void close()
    {
        closed = true;
        HandshakeIo.closeQuietly(channel);
    }

    @Override
    public String toString()
    {
        return "TcpStoreClient{" + host + ":" + port + (closed ? ", closed" : "") + "}";
    }

    private boolean found(final StoreWire.Response response, final String op)
    {
        if (response.status == STATUS_NOT_FOUND)
        {
            return false;
        }
        expect(response, STATUS_OK, 0, op);
        return true;
    }

    private void expect(final StoreWire.Response response, final byte status, final int parts, final String op)
    {
        if (response.status != status || response.parts.length != parts)
        {
            final String reason = "bootstrap store at " + host + ":" + port + " answered " + op + " with status " +
                response.status + " and " + response.parts.length + " parts";
            markBroken(reason);
            throw new CollectiveException(reason);
        }
    }

    private synchronized StoreWire.Response call(
        final byte opcode, final long arg, final long answerWithinMs, final byte[][] keys, final byte[]... values)
    {
        if (closed)
        {
            throw new CollectiveException("store client for " + host + ":" + port + " is closed");
        }
        if (broken != null)
        {
            throw new CollectiveException(broken);
        }
        final StoreWire.Response response;
        try
        {
            channel.socket().setSoTimeout((int)Math.min(Integer.MAX_VALUE, Math.max(1, answerWithinMs)));
            StoreWire.writeRequest(out, opcode, arg, keys, values);
            response = StoreWire.readResponse(in);
        }
        catch (final SocketTimeoutException ex)
        {
            final String reason = "bootstrap store at " + host + ":" + port + " did not answer " + opcodeName(opcode) +
                " within " + answerWithinMs + " ms; treating it as gone";
            markBroken(reason);
            throw new CollectiveException(reason, ex);
        }
        catch (final IOException ex)
        {
            if (closed)
            {
                throw new CollectiveException("store client for " + host + ":" + port + " was closed during " + opcodeName(opcode));
            }
            final String reason = "bootstrap store at " + host + ":" + port + " is gone (" + ex +
                "); the process hosting it (rank 0 or the launcher) probably stopped";
            markBroken(reason);
            throw new CollectiveException(reason, ex);
        }
        catch (final StoreWire.MalformedException ex)
        {
            final String reason = "bootstrap store at " + host + ":" + port + " sent a malformed answer: " + ex.getMessage();
            markBroken(reason);
            throw new CollectiveException(reason);
        }
        if (response.status == STATUS_ERROR)
        {
            final String message = response.parts.length > 0 ? new String(response.parts[0], StandardCharsets.UTF_8) : "no reason given";
            throw new CollectiveException("bootstrap store at " + host + ":" + port + " refused " + opcodeName(opcode) +
                " of '" + new String(keys[0], StandardCharsets.UTF_8) + "': " + message);
        }
        return response;
    }

    private void markBroken(final String reason)
    {
        synchronized (this)
        {
            if (broken == null)
            {
                broken = reason;
            }
        }
        HandshakeIo.closeQuietly(channel);
    }

    /** The next slice of a wait ending at {@code deadline}: at most {@link #WAIT_SLICE_MS}, at least 0. */
    private static long sliceMs(final long deadline)
    {
        return Math.min(WAIT_SLICE_MS, Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
    }

    private static long saturatedNanos(final Duration duration)
    {
        final Duration bounded = duration.isNegative() ? Duration.ZERO : duration;
        final Duration max = Duration.ofMillis(TcpStoreServer.MAX_WAIT_MS);
        return (bounded.compareTo(max) > 0 ? max : bounded).toNanos();
    }

    private static byte[][] keys(final String key)
    {
        return new byte[][] {checkKey(key)};
    }

    private static byte[] checkKey(final String key)
    {
        Objects.requireNonNull(key, "key");
        final byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_KEY_LENGTH)
        {
            throw new IllegalArgumentException("store key longer than " + MAX_KEY_LENGTH + " UTF-8 bytes: '" +
                key.substring(0, Math.min(key.length(), 64)) + "...'");
        }
        return bytes;
    }

    private static byte[] checkValue(final byte[] value)
    {
        Objects.requireNonNull(value, "value");
        if (value.length > MAX_VALUE_LENGTH)
        {
            throw new IllegalArgumentException("store value of " + value.length + " bytes is over the limit of " + MAX_VALUE_LENGTH);
        }
        return value;
    }

    private static String listKeys(final List<String> keys)
    {
        if (keys.size() <= MAX_KEYS_IN_MESSAGE)
        {
            return keys.toString();
        }
        return keys.subList(0, MAX_KEYS_IN_MESSAGE) + " and " + (keys.size() - MAX_KEYS_IN_MESSAGE) + " more";
    }

    private static void sleep(final long ms, final String where)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new CollectiveException("interrupted while connecting to the bootstrap store at " + where, ex);
        }
    }
}
