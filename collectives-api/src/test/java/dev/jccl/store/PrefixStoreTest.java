package dev.jccl.store;

import dev.jccl.CollectiveTimeoutException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class PrefixStoreTest
{
    /** Minimal non-blocking in-memory store: enough to see which keys the view touches. */
    static final class MapStore implements Store
    {
        final Map<String, byte[]> map = new HashMap<>();
        boolean closed;

        @Override
        public synchronized void set(final String key, final byte[] value)
        {
            map.put(key, value.clone());
        }

        @Override
        public synchronized byte[] get(final String key)
        {
            final byte[] value = map.get(key);
            if (value == null)
            {
                throw new CollectiveTimeoutException("key '" + key + "' missing");
            }
            return value.clone();
        }

        @Override
        public synchronized void waitFor(final List<String> keys, final Duration timeout)
        {
            final List<String> missing = new ArrayList<>();
            for (final String key : keys)
            {
                if (!map.containsKey(key))
                {
                    missing.add(key);
                }
            }
            if (!missing.isEmpty())
            {
                throw new CollectiveTimeoutException("missing " + missing);
            }
        }

        @Override
        public synchronized long add(final String key, final long delta)
        {
            final byte[] old = map.get(key);
            final long value = (old == null ? 0 : Long.parseLong(new String(old, StandardCharsets.US_ASCII))) + delta;
            map.put(key, Long.toString(value).getBytes(StandardCharsets.US_ASCII));
            return value;
        }

        @Override
        public synchronized byte[] compareSet(final String key, final byte[] expected, final byte[] desired)
        {
            final byte[] old = map.get(key);
            if ((old == null && expected.length == 0) || (old != null && Arrays.equals(old, expected)))
            {
                map.put(key, desired.clone());
                return desired.clone();
            }
            return old == null ? new byte[0] : old.clone();
        }

        @Override
        public synchronized boolean delete(final String key)
        {
            return map.remove(key) != null;
        }

        @Override
        public synchronized boolean check(final String key)
        {
            return map.containsKey(key);
        }

        @Override
        public Duration timeout()
        {
            return Duration.ofSeconds(7);
        }

        @Override
        public void close()
        {
            closed = true;
        }
    }

    private static byte[] bytes(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyOperationIsNamespacedUnderThePrefix()
    {
        final MapStore inner = new MapStore();
        final PrefixStore run = new PrefixStore("run1", inner);

        run.set("a", bytes("1"));
        assertArrayEquals(bytes("1"), inner.map.get("run1/a"));
        assertArrayEquals(bytes("1"), run.get("a"));
        assertTrue(run.check("a"));
        assertFalse(run.check("b"));
        assertEquals(3, run.add("n", 3));
        assertArrayEquals(bytes("3"), inner.map.get("run1/n"));
        assertArrayEquals(bytes("x"), run.compareSet("c", new byte[0], bytes("x")));
        assertArrayEquals(bytes("x"), inner.map.get("run1/c"));
        run.waitFor(List.of("a", "n", "c"), Duration.ofMillis(1));
        assertTrue(run.delete("a"));
        assertFalse(inner.map.containsKey("run1/a"));
        assertEquals(Duration.ofSeconds(7), run.timeout());
    }

    @Test
    void twoPrefixesDoNotSeeEachOthersKeys()
    {
        final MapStore inner = new MapStore();
        final PrefixStore one = new PrefixStore("one", inner);
        final PrefixStore two = new PrefixStore("two", inner);
        one.set("k", bytes("from one"));
        two.set("k", bytes("from two"));
        assertArrayEquals(bytes("from one"), one.get("k"));
        assertArrayEquals(bytes("from two"), two.get("k"));
        assertTrue(one.delete("k"));
        assertFalse(one.check("k"));
        assertTrue(two.check("k"));
    }

    @Test
    void prefixesNest()
    {
        final MapStore inner = new MapStore();
        final PrefixStore comm = new PrefixStore("comm3", new PrefixStore("run42", inner));
        comm.set("addr/0", bytes("h:1"));
        assertTrue(inner.map.containsKey("run42/comm3/addr/0"));
    }

    @Test
    void waitForTimeoutNamesTheQualifiedKeys()
    {
        final PrefixStore store = new PrefixStore("p", new MapStore());
        final CollectiveTimeoutException ex = assertThrows(
            CollectiveTimeoutException.class, () -> store.waitFor(List.of("missing"), Duration.ofMillis(1)));
        assertTrue(ex.getMessage().contains("p/missing"), ex.getMessage());
    }

    @Test
    void closeClosesTheInnerStoreOnlyWhenOwned()
    {
        final MapStore shared = new MapStore();
        new PrefixStore("a", shared).close();
        assertFalse(shared.closed);
        new PrefixStore("a", shared, true).close();
        assertTrue(shared.closed);
    }
}
