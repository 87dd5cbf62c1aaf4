package dev.jccl.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A view of another {@link Store} in which every key {@code k} becomes {@code prefix + "/" + k},
 * so runs and communicators sharing one store never see each other's keys. Prefixes nest:
 * {@code new PrefixStore("comm3", new PrefixStore("run42", store))} uses {@code run42/comm3/k}.
 * Timeout messages name the full (prefixed) keys, which is what an operator finds in the store.
 */
public final class PrefixStore implements Store
{
    private final String prefix;
    private final Store inner;
    private final boolean ownsInner;

    /** A view that leaves {@code inner} open when closed. */
    public PrefixStore(final String prefix, final Store inner)
    {
        this(prefix, inner, false);
    }

    /**
     * @param prefix    namespace, without the trailing {@code /}.
     * @param inner     the store holding the keys.
     * @param ownsInner whether {@link #close()} also closes {@code inner}.
     */
    public PrefixStore(final String prefix, final Store inner, final boolean ownsInner)
    {
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.inner = Objects.requireNonNull(inner, "inner");
        this.ownsInner = ownsInner;
    }

    public String prefix()
    {
        return prefix;
    }

    public Store inner()
    {
        return inner;
    }

    /** The key as the inner store sees it. */
    public String qualify(final String key)
    {
        return prefix + "/" + Objects.requireNonNull(key, "key");
    }

    @Override
    public void set(final String key, final byte[] value)
    {
        inner.set(qualify(key), value);
    }

    @Override
    public byte[] get(final String key)
    {
        return inner.get(qualify(key));
    }

    @Override
    public void waitFor(final List<String> keys, final Duration timeout)
    {
        final List<String> qualified = new ArrayList<>(keys.size());
        for (final String key : keys)
        {
            qualified.add(qualify(key));
        }
        inner.waitFor(qualified, timeout);
    }

    @Override
    public long add(final String key, final long delta)
    {
        return inner.add(qualify(key), delta);
    }

    @Override
    public byte[] compareSet(final String key, final byte[] expected, final byte[] desired)
    {
        return inner.compareSet(qualify(key), expected, desired);
    }

    @Override
    public boolean delete(final String key)
    {
        return inner.delete(qualify(key));
    }

    @Override
    public boolean check(final String key)
    {
        return inner.check(qualify(key));
    }

    @Override
    public Duration timeout()
    {
        return inner.timeout();
    }

    @Override
    public void close()
    {
        if (ownsInner)
        {
            inner.close();
        }
    }

    @Override
    public String toString()
    {
        return "PrefixStore{" + prefix + "/ over " + inner + "}";
    }
}
