package dev.jccl.route;

import dev.jccl.JcclConfig;
import dev.jccl.spi.HostTransport;
import dev.jccl.spi.RankHosts;
import dev.jccl.tcp.TcpPointToPoint;
import dev.jccl.tcp.store.TcpStoreClient;
import dev.jccl.tcp.store.TcpStoreServer;
import dev.jccl.wire.CollectiveKind;
import dev.jccl.wire.Handshake;
import dev.jccl.wire.MessageHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The routed transport's network side links only ranks of other hosts: on two fake hosts of two
 * ranks each, every rank holds 2 TCP connections (the other host's ranks), not 3, and the
 * same-host peer it reaches through shared memory has no socket at all.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RoutedTransportLinksTest
{
    private static final RankHosts HOSTS = new RankHosts(new String[] { "hostA", "hostA", "hostB", "hostB" });
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void eachRankLinksOverTcpOnlyTheRanksOfTheOtherHost() throws Exception
    {
        final Handshake handshake = new Handshake("routed-links".getBytes(StandardCharsets.UTF_8), "routed-links-" + System.nanoTime());
        try (TcpStoreServer server = new TcpStoreServer("127.0.0.1", 0, handshake))
        {
            final List<CompletableFuture<RoutedTransport>> joins = new ArrayList<>();
            for (int r = 0; r < HOSTS.size(); r++)
            {
                final int rank = r;
                joins.add(CompletableFuture.supplyAsync(() -> join(server.port(), handshake, rank)));
            }
            final RoutedTransport[] ranks = new RoutedTransport[HOSTS.size()];
            try
            {
                for (int r = 0; r < ranks.length; r++)
                {
                    ranks[r] = joins.get(r).get(45, TimeUnit.SECONDS);
                }
                for (int r = 0; r < ranks.length; r++)
                {
                    final HostTransport network = ranks[r].network();
                    assertInstanceOf(TcpPointToPoint.class, network, "rank " + r);
                    final TcpPointToPoint tcp = (TcpPointToPoint)network;
                    assertEquals(4, tcp.size(), "the network side keeps job rank numbers");
                    assertEquals(2, tcp.connectedPeers(), "rank " + r + " TCP links: " + tcp.links());
                    final int sameHost = r ^ 1;
                    for (int peer = 0; peer < 4; peer++)
                    {
                        assertEquals(peer != r && peer != sameHost, tcp.links().linked(peer), "rank " + r + " link to " + peer);
                    }
                    final MessageHeader header = new MessageHeader()
                        .collective(1, 1, CollectiveKind.BROADCAST, dev.jccl.DataType.INT8, null, 0, 4).chunk(0, 4);
                    final IllegalStateException ex = assertThrows(IllegalStateException.class,
                        () -> tcp.postSend(sameHost, header, ByteBuffer.allocateDirect(4), 0, 4));
                    assertTrue(ex.getMessage().contains("no TCP link to rank " + sameHost), ex.getMessage());
                    assertTrue(ranks[r].sameHost(sameHost), "rank " + r + " reaches " + sameHost + " through shared memory");
                }
            }
            finally
            {
                for (final RoutedTransport rank : ranks)
                {
                    if (rank != null)
                    {
                        rank.close();
                    }
                }
            }
        }
    }

    private static RoutedTransport join(final int storePort, final Handshake handshake, final int rank)
    {
        final JcclConfig config = new JcclConfig().rank(rank).worldSize(HOSTS.size()).localRank(rank % 2).localWorldSize(2)
            .store("127.0.0.1", storePort).hostName(HOSTS.host(rank)).timeout(TIMEOUT);
        final TcpStoreClient store = TcpStoreClient.connect("127.0.0.1", storePort, handshake, rank, TIMEOUT);
        return RoutedTransportProvider.connect(config, store, handshake, rank, HOSTS, 0x5eedL);
    }
}
