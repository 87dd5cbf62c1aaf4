package dev.jccl.tcp.store;

import dev.jccl.CollectiveException;
import dev.jccl.CollectiveTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.jccl.tcp.store.StoreTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TcpStoreOperationsTest
{
    private TcpStoreServer server;
    private final List<TcpStoreClient> clients = new ArrayList<>();
    private ExecutorService pool;

    @BeforeEach
    void start()
    {
        server = new TcpStoreServer("127.0.0.1", 0, handshake());
        pool = Executors.newCachedThreadPool(r ->
        {
            final Thread t = new Thread(r, "store-test");
            t.setDaemon(true);
            return t;
        });
    }

    @AfterEach
    void stop()
    {
        clients.forEach(TcpStoreClient::close);
        server.close();
        pool.shutdownNow();
    }

    private TcpStoreClient client(final int rank, final Duration timeout)
    {
        final TcpStoreClient client = TcpStoreClient.connect("127.0.0.1", server.port(), handshake(), rank, timeout);
        clients.add(client);
        return client;
    }

    @Test
    void setGetCheckDeleteRoundTrip()
    {
        final TcpStoreClient store = client(0, TIMEOUT);
        assertFalse(store.check("k"));
        store.set("k", bytes("v1"));
        assertTrue(store.check("k"));
        assertEquals("v1", text(store.get("k")));
        store.set("k", bytes("v2"));
        assertEquals("v2", text(store.get("k")));
        store.set("empty", new byte[0]);
        assertArrayEquals(new byte[0], store.get("empty"));
        assertTrue(store.delete("k"));
        assertFalse(store.delete("k"));
        assertFalse(store.check("k"));
        assertEquals(1, server.keyCount());
        assertEquals(TIMEOUT, store.timeout());
    }

    @Test
    void largestValueAndKeyRoundTrip()
    {
        final TcpStoreClient store = client(0, TIMEOUT);
        final byte[] value = new byte[StoreDescriptor.MAX_VALUE_LENGTH];
        for (int i = 0; i < value.length; i++)
        {
            value[i] = (byte)(i * 31);
        }
        final String key = "k".repeat(StoreDescriptor.MAX_KEY_LENGTH);
        store.set(key, value);
        assertArrayEquals(value, store.get(key));
    }

    @Test
    void oversizedKeysAndValuesAreRejectedBeforeAnyIo()
    {
        final TcpStoreClient store = client(0, TIMEOUT);
        assertThrows(IllegalArgumentException.class, () -> store.set("k".repeat(StoreDescriptor.MAX_KEY_LENGTH + 1), bytes("v")));
        assertThrows(IllegalArgumentException.class, () -> store.set("k", new byte[StoreDescriptor.MAX_VALUE_LENGTH + 1]));
        store.set("still", bytes("usable"));
        assertEquals("usable", text(store.get("still")));
    }

    @Test
    void addCountsFromZeroAndIsReadableAsDecimal()
    {
        final TcpStoreClient store = client(0, TIMEOUT);
        assertEquals(5, store.add("n", 5));
        assertEquals(3, store.add("n", -2));
        assertEquals("3", text(store.get("n")));
    }

    @Test
    void addOnANonCounterFailsButLeavesTheConnectionUsable()
    {
        final TcpStoreClient store = client(0, TIMEOUT);
        store.set("text", bytes("hello"));
        final CollectiveException ex = assertThrows(CollectiveException.class, () -> store.add("text", 1));
        assertTrue(ex.getMessage().contains("not a decimal counter"), ex.getMessage());
        assertEquals("hello", text(store.get("text")));
    }

    @Test
    void compareSetSwapsOnlyOnAMatch()
    {
        final TcpStoreClient store = client(0, TIMEOUT);
        assertArrayEquals(new byte[0], store.compareSet("c", bytes("x"), bytes("y")), "absent key, non-empty expected");
        assertFalse(store.check("c"));
        assertEquals("first", text(store.compareSet("c", new byte[0], bytes("first"))), "empty expected matches absent");
        assertEquals("first", text(store.compareSet("c", bytes("wrong"), bytes("second"))), "mismatch returns current");
        assertEquals("second", text(store.compareSet("c", bytes("first"), bytes("second"))));
        assertEquals("second", text(store.get("c")));
    }

    @Test
    void countersAndKeysAreConsistentAcrossClientsOnSeveralThreads() throws Exception
    {
        final int ranks = 4;
        final int adds = 200;
        final List<Future<?>> futures = new ArrayList<>();
        final List<String> keys = new ArrayList<>();
        for (int r = 0; r < ranks; r++)
        {
            keys.add("addr/" + r);
        }
        for (int r = 0; r < ranks; r++)
        {
            final TcpStoreClient store = client(r, TIMEOUT);
            final int rank = r;
            futures.add(pool.submit(() ->
            {
                for (int i = 0; i < adds; i++)
                {
                    store.add("counter", 1);
                }
                store.set("addr/" + rank, bytes("host" + rank));
                store.waitFor(keys, TIMEOUT);
                for (int other = 0; other < ranks; other++)
                {
                    assertEquals("host" + other, text(store.get("addr/" + other)));
                }
                return null;
            }));
        }
        for (final Future<?> future : futures)
        {
            future.get(30, TimeUnit.SECONDS);
        }
        assertEquals(ranks * adds + 1, client(9, TIMEOUT).add("counter", 1));
    }

    @Test
    void oneClientIsSafeToShareBetweenThreads() throws Exception
    {
        final TcpStoreClient store = client(0, TIMEOUT);
        final List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++)
        {
            final int thread = t;
            futures.add(pool.submit(() ->
            {
                for (int i = 0; i < 100; i++)
                {
                    store.set("t" + thread + "/" + i, bytes(thread + ":" + i));
                    assertEquals(thread + ":" + i, text(store.get("t" + thread + "/" + i)));
                    store.add("shared", 1);
                }
                return null;
            }));
        }
        for (final Future<?> future : futures)
        {
            future.get(30, TimeUnit.SECONDS);
        }
        assertEquals(801, store.add("shared", 1));
    }

    @Test
    void getBlocksUntilAnotherClientSetsTheKey() throws Exception
    {
        final TcpStoreClient waiter = client(1, TIMEOUT);
        final TcpStoreClient setter = client(0, TIMEOUT);
        final CountDownLatch started = new CountDownLatch(1);
        final CompletableFuture<byte[]> got = CompletableFuture.supplyAsync(() ->
        {
            started.countDown();
            return waiter.get("late");
        }, pool);
        assertTrue(started.await(5, TimeUnit.SECONDS));
        Thread.sleep(100);
        assertFalse(got.isDone(), "get returned before the key was set");
        setter.set("late", bytes("here"));
        assertEquals("here", text(got.get(10, TimeUnit.SECONDS)));
    }

    @Test
    void waitForReturnsOnceEveryKeyExists() throws Exception
    {
        final TcpStoreClient waiter = client(1, TIMEOUT);
        final TcpStoreClient setter = client(0, TIMEOUT);
        final CompletableFuture<Void> done = CompletableFuture.runAsync(
            () -> waiter.waitFor(List.of("a", "b", "c"), TIMEOUT), pool);
        setter.set("a", bytes("1"));
        setter.add("b", 1);
        Thread.sleep(50);
        assertFalse(done.isDone(), "waitFor returned with 'c' missing");
        setter.compareSet("c", new byte[0], bytes("3"));
        done.get(10, TimeUnit.SECONDS);
    }

    @Test
    void waitForTimesOutNamingOnlyTheMissingKeys()
    {
        final TcpStoreClient store = client(0, TIMEOUT);
        store.set("present", bytes("1"));
        final long start = System.nanoTime();
        final CollectiveTimeoutException ex = assertThrows(
            CollectiveTimeoutException.class, () -> store.waitFor(List.of("present", "absent"), Duration.ofMillis(200)));
        final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(ex.getMessage().contains("[absent]"), ex.getMessage());
        assertFalse(ex.getMessage().contains("present]"), ex.getMessage());
        assertTrue(ex.getMessage().contains("127.0.0.1:" + server.port()), ex.getMessage());
        assertTrue(elapsedMs >= 150 && elapsedMs < 5_000, "waited " + elapsedMs + " ms");
        store.set("after", bytes("timeout"));
        assertEquals("timeout", text(store.get("after")), "connection usable after a timeout");
    }

    @Test
    void getTimesOutNamingTheKeyAfterTheStoreTimeout()
    {
        final TcpStoreClient store = client(0, Duration.ofMillis(200));
        final CollectiveTimeoutException ex = assertThrows(CollectiveTimeoutException.class, () -> store.get("never"));
        assertTrue(ex.getMessage().contains("'never'"), ex.getMessage());
    }

    @Test
    void waitForWithMoreKeysThanOneRequestCarriesIsSplit()
    {
        final TcpStoreClient store = client(0, TIMEOUT);
        final List<String> keys = new ArrayList<>();
        for (int i = 0; i < StoreDescriptor.MAX_WAIT_KEYS + 10; i++)
        {
            keys.add("many/" + i);
            store.set("many/" + i, new byte[0]);
        }
        store.waitFor(keys, TIMEOUT);
        keys.add("many/missing");
        final CollectiveTimeoutException ex = assertThrows(
            CollectiveTimeoutException.class, () -> store.waitFor(keys, Duration.ofMillis(100)));
        assertTrue(ex.getMessage().contains("many/missing"), ex.getMessage());
    }
}
