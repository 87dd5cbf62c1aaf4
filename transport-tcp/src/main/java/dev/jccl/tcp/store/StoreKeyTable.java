package dev.jccl.tcp.store;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.jccl.tcp.store.StoreDescriptor.*;

/**
 * The bootstrap store's keys and the requests that read and change them: each {@link StoreWire}
 * request is answered here under one lock, and blocking GET and WAIT park the asking connection's
 * thread on that lock until their keys appear, their own timeout passes (at most
 * {@link TcpStoreServer#MAX_WAIT_MS}) or the server closes ({@link #wakeWaiters}).
 */
final class StoreKeyTable
{
    /** Guards {@link #data}; notified on every change. */
    private final Object lock = new Object();
    private final Map<String, byte[]> data = new HashMap<>();
    private final AtomicBoolean closed;

    /** @param closed the server's closed flag: waiters return when it is set. */
    StoreKeyTable(final AtomicBoolean closed)
    {
        this.closed = closed;
    }

    /** Keys held now. */
    int size()
    {
        synchronized (lock)
        {
            return data.size();
        }
    }

    /** Wakes every parked GET and WAIT (the server is closing; they see the closed flag). */
    void wakeWaiters()
    {
        synchronized (lock)
        {
            lock.notifyAll();
        }
    }

    /**
     * Carries out one request and writes its answer.
     *
     * @return false when the server closed while the request waited (no answer sent).
     */
    boolean answer(final StoreWire.Request request, final DataOutputStream out) throws IOException, InterruptedException
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
        final long boundedMs = Math.max(0, Math.min(waitMs, TcpStoreServer.MAX_WAIT_MS));
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
}
