package dev.jccl.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A pass-through {@link Store} that remembers the keys this process wrote (set, add, compareSet)
 * until {@link #deleteRecordedKeys()}. A sub-communicator's rendezvous writes a few keys per rank
 * into the job's store; without deleting them a program that splits in a loop would fill the store
 * (it caps its key count) and fail far from the cause. Each rank deletes only what it wrote, once
 * every member has finished reading (after a barrier on the new communicator).
 */
public final class KeyRecordingStore implements Store
{
    private final Store inner;
    private final Set<String> written = new LinkedHashSet<>();
    private boolean recording = true;

    public KeyRecordingStore(final Store inner)
    {
        this.inner = Objects.requireNonNull(inner, "inner");
    }

    public Store inner()
    {
        return inner;
    }

    /** The keys written and not yet deleted, in first-write order (a copy). */
    public synchronized List<String> recordedKeys()
    {
        return new ArrayList<>(written);
    }

    /**
     * Deletes every key recorded so far and stops recording: writes after this (a later split of
     * the communicator holding this store has its own recorder) are not remembered, so the set
     * never grows for the life of the communicator.
     *
     * @return how many of the keys still existed.
     */
    public int deleteRecordedKeys()
    {
        final List<String> keys;
        synchronized (this)
        {
            keys = new ArrayList<>(written);
            written.clear();
            recording = false;
        }
        int deleted = 0;
        for (final String key : keys)
        {
            if (inner.delete(key))
            {
                deleted++;
            }
        }
        return deleted;
    }

    private synchronized void record(final String key)
    {
        if (recording)
        {
            written.add(key);
        }
    }

    @Override
    public void set(final String key, final byte[] value)
    {
        record(key);
        inner.set(key, value);
    }

    @Override
    public byte[] get(final String key)
    {
        return inner.get(key);
    }

    @Override
    public void waitFor(final List<String> keys, final Duration timeout)
    {
        inner.waitFor(keys, timeout);
    }

    @Override
    public long add(final String key, final long delta)
    {
        record(key);
        return inner.add(key, delta);
    }

    @Override
    public byte[] compareSet(final String key, final byte[] expected, final byte[] desired)
    {
        record(key);
        return inner.compareSet(key, expected, desired);
    }

    @Override
    public boolean delete(final String key)
    {
        synchronized (this)
        {
            written.remove(key);
        }
        return inner.delete(key);
    }

    @Override
    public boolean check(final String key)
    {
        return inner.check(key);
    }

    @Override
    public Duration timeout()
    {
        return inner.timeout();
    }

    @Override
    public void close()
    {
        inner.close();
    }

    @Override
    public String toString()
    {
        return inner.toString();
    }
}
