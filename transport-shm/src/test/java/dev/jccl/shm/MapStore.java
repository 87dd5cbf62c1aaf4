package dev.jccl.shm;

import dev.jccl.store.Store;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** An in-JVM {@link Store} for rendezvous tests that need ranks with different tokens (the TCP store would refuse them first). */
final class MapStore implements Store
{
    private final Map<String, byte[]> values = new ConcurrentHashMap<>();

    @Override
    public void set(final String key, final byte[] value)
    {
        synchronized (values)
        {
            values.put(key, value.clone());
            values.notifyAll();
        }
    }

    @Override
    public byte[] get(final String key)
    {
        final byte[] value = values.get(key);
        if (value == null)
        {
            throw new IllegalArgumentException("no key " + key);
        }
        return value.clone();
    }

    @Override
    public void waitFor(final List<String> keys, final Duration timeout)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (values)
        {
            while (!values.keySet().containsAll(keys))
            {
                final long left = deadline - System.nanoTime();
                if (left <= 0)
                {
                    throw new IllegalStateException("timed out waiting for " + keys);
                }
                try
                {
                    values.wait(Math.max(1, left / 1_000_000));
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(ex);
                }
            }
        }
    }

    @Override
    public long add(final String key, final long delta)
    {
        throw new UnsupportedOperationException("add is not used by the shm rendezvous");
    }

    @Override
    public byte[] compareSet(final String key, final byte[] expected, final byte[] desired)
    {
        throw new UnsupportedOperationException("compareSet is not used by the shm rendezvous");
    }

    @Override
    public boolean delete(final String key)
    {
        return values.remove(key) != null;
    }

    @Override
    public boolean check(final String key)
    {
        return values.containsKey(key);
    }

    @Override
    public Duration timeout()
    {
        return Duration.ofSeconds(30);
    }

    @Override
    public void close()
    {
    }
}
