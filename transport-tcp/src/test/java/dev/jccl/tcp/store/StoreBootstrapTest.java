package dev.jccl.tcp.store;

import dev.jccl.JcclConfig;
import dev.jccl.store.PrefixStore;
import dev.jccl.store.Store;
import dev.jccl.store.StoreFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.jccl.tcp.store.StoreTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StoreBootstrapTest
{
    @Test
    void threeRanksMeetThroughTheStoreRankZeroHosts() throws Exception
    {
        final int port = freePort();
        final int worldSize = 3;
        final List<CompletableFuture<Store>> ranks = new ArrayList<>();
        // Ranks 2 and 1 start first: they must retry until rank 0 hosts.
        for (int rank = worldSize - 1; rank >= 0; rank--)
        {
            final int r = rank;
            ranks.add(0, CompletableFuture.supplyAsync(() ->
            {
                final Store store = StoreBootstrap.connectOrHost("127.0.0.1", port, r, handshake(), TIMEOUT);
                final Store run = new PrefixStore("run1", store);
                run.set("addr/" + r, bytes("host-" + r));
                final List<String> all = new ArrayList<>();
                for (int i = 0; i < worldSize; i++)
                {
                    all.add("addr/" + i);
                }
                run.waitFor(all, TIMEOUT);
                for (int i = 0; i < worldSize; i++)
                {
                    assertEquals("host-" + i, text(run.get("addr/" + i)));
                }
                run.add("arrived", 1);
                return store;
            }));
            if (rank > 0)
            {
                Thread.sleep(50);
            }
        }
        final List<Store> stores = new ArrayList<>();
        for (final CompletableFuture<Store> rank : ranks)
        {
            stores.add(rank.get(30, TimeUnit.SECONDS));
        }
        assertTrue(stores.get(0) instanceof StoreBootstrap.HostedStore, "rank 0 hosts: " + stores.get(0));
        assertTrue(stores.get(1) instanceof TcpStoreClient, String.valueOf(stores.get(1)));
        assertTrue(stores.get(2) instanceof TcpStoreClient, String.valueOf(stores.get(2)));
        assertEquals(worldSize + 1, stores.get(1).add("run1/arrived", 1));
        final TcpStoreServer server = ((StoreBootstrap.HostedStore)stores.get(0)).server();
        assertEquals(port, server.port());
        stores.get(2).close();
        stores.get(1).close();
        stores.get(0).close();
        assertTrue(server.isClosed());
    }

    @Test
    void rankZeroConnectsAsAClientWhenTheLauncherAlreadyHosts()
    {
        try (TcpStoreServer launcher = new TcpStoreServer("127.0.0.1", 0, handshake());
            Store rank0 = StoreBootstrap.connectOrHost("127.0.0.1", launcher.port(), 0, handshake(), TIMEOUT))
        {
            assertTrue(rank0 instanceof TcpStoreClient, String.valueOf(rank0));
            rank0.set("k", bytes("v"));
            assertEquals(1, launcher.keyCount());
        }
    }

    @Test
    void otherRanksNeverHost()
    {
        final int port = freePort();
        final Exception ex = assertThrows(dev.jccl.CollectiveTimeoutException.class,
            () -> StoreBootstrap.connectOrHost("127.0.0.1", port, 1, handshake(), java.time.Duration.ofMillis(200)));
        assertTrue(ex.getMessage().contains("127.0.0.1:" + port), ex.getMessage());
    }

    @Test
    void localAddressesAreRecognised() throws Exception
    {
        assertTrue(StoreBootstrap.isLocalAddress("127.0.0.1"));
        assertTrue(StoreBootstrap.isLocalAddress("localhost"));
        assertTrue(StoreBootstrap.isLocalAddress(InetAddress.getLocalHost().getHostName()));
        assertFalse(StoreBootstrap.isLocalAddress("192.0.2.1"), "TEST-NET-1 is nobody's address");
        assertFalse(StoreBootstrap.isLocalAddress(""));
        assertFalse(StoreBootstrap.isLocalAddress(null));
    }

    @Test
    void factoryIsFoundThroughServiceLoaderAndHostsForRankZero()
    {
        final List<StoreFactory> factories = new ArrayList<>();
        ServiceLoader.load(StoreFactory.class).forEach(factories::add);
        assertTrue(factories.stream().anyMatch(f -> f instanceof TcpStoreFactory), String.valueOf(factories));
        final StoreFactory factory = new TcpStoreFactory();

        final int port = freePort();
        final JcclConfig config = new JcclConfig().rank(0).worldSize(1).store("127.0.0.1", port).timeout(TIMEOUT).conclude();
        try (Store store = factory.connect(config, handshake()))
        {
            assertTrue(store instanceof StoreBootstrap.HostedStore);
            store.set("k", bytes("v"));
            assertEquals("v", text(store.get("k")));
            assertEquals(TIMEOUT, store.timeout());
        }
    }

    @Test
    void singleRankWithoutAStoreAddressGetsAPrivateStore()
    {
        try (Store store = new TcpStoreFactory().connect(JcclConfig.singleRank().conclude(), handshake()))
        {
            store.set("k", bytes("v"));
            assertEquals("v", text(store.get("k")));
        }
    }
}
