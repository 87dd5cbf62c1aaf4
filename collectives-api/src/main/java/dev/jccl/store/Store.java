package dev.jccl.store;

import java.time.Duration;
import java.util.List;

/**
 * Bootstrap key-value store in the style of c10d's TCPStore: how ranks find each other.
 * Values are opaque bytes. Every blocking call is bounded by a timeout and throws
 * {@link dev.jccl.CollectiveTimeoutException} naming the keys it waited for.
 */
public interface Store extends AutoCloseable
{
    /** Stores a value, replacing any previous one, and wakes waiters on that key. */
    void set(String key, byte[] value);

    /** Waits up to the store's default timeout for the key, then returns its value. */
    byte[] get(String key);

    /** Waits until every key exists, or throws a timeout naming those still missing. */
    void waitFor(List<String> keys, Duration timeout);

    /** Atomically adds to a counter key (absent counts as 0) and returns the new value. */
    long add(String key, long delta);

    /**
     * Atomically sets the key to {@code desired} when its current value equals {@code expected}
     * (an empty {@code expected} matches an absent key) and returns the value now stored.
     */
    byte[] compareSet(String key, byte[] expected, byte[] desired);

    /** Deletes a key; returns whether it existed. */
    boolean delete(String key);

    /** Whether the key exists now (does not wait). */
    boolean check(String key);

    /** Default timeout for {@link #get}. */
    Duration timeout();

    @Override
    void close();
}
