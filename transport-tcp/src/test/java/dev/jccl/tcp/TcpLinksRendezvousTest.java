package dev.jccl.tcp;

import dev.jccl.CollectiveException;
import dev.jccl.DataType;
import dev.jccl.tcp.store.TcpStoreClient;
import dev.jccl.tcp.store.TcpStoreServer;
import dev.jccl.wire.CollectiveKind;
import dev.jccl.wire.Handshake;
import dev.jccl.wire.HandshakeDescriptor;
import dev.jccl.wire.MessageHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Rendezvous over a {@link TcpLinks} set, as the routed transport asks for it: three ranks, 0 and
 * 1 on host "a", 2 on host "b", each linked only to the other host. Linked pairs carry data,
 * unlinked ones hold no socket, a call to one fails at once naming it, and the listener refuses it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TcpLinksRendezvousTest
{
    private static final String[] HOSTS = { "a", "a", "b" };
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Test
    void linksOnlyRanksOfOtherHostsCarryDataAndRefuseTheRest() throws Exception
    {
        final Handshake handshake = new Handshake("links-token".getBytes(StandardCharsets.UTF_8), "links-" + System.nanoTime());
        try (TcpStoreServer server = new TcpStoreServer("127.0.0.1", 0, handshake))
        {
            final List<CompletableFuture<TcpPointToPoint>> joins = new ArrayList<>();
            for (int r = 0; r < HOSTS.length; r++)
            {
                final int rank = r;
                joins.add(CompletableFuture.supplyAsync(() -> join(server.port(), handshake, rank)));
            }
            final TcpPointToPoint[] ranks = new TcpPointToPoint[HOSTS.length];
            try
            {
                for (int r = 0; r < ranks.length; r++)
                {
                    ranks[r] = joins.get(r).get(30, TimeUnit.SECONDS);
                }
                assertEquals(1, ranks[0].connectedPeers(), ranks[0].links().toString());
                assertEquals(1, ranks[1].connectedPeers(), ranks[1].links().toString());
                assertEquals(2, ranks[2].connectedPeers(), ranks[2].links().toString());
                assertEquals("ranks [2] of 3", ranks[0].links().toString());
                assertEquals("a", ranks[2].peerHost(1), "every rank's host is known, linked or not");

                exchange(ranks[0], ranks[2], 0, 2, 1);
                exchange(ranks[2], ranks[1], 2, 1, 2);

                final MessageHeader header = header(3, 4);
                ranks[0].beginCollective(header, System.nanoTime() + TIMEOUT.toNanos());
                final IllegalStateException send = assertThrows(IllegalStateException.class,
                    () -> ranks[0].postSend(1, header, ByteBuffer.allocateDirect(4), 0, 4));
                assertTrue(send.getMessage().contains("no TCP link to rank 1") && send.getMessage().contains("host a"),
                    send.getMessage());
                final IllegalStateException recv = assertThrows(IllegalStateException.class,
                    () -> ranks[1].postRecv(0, header, ByteBuffer.allocateDirect(4), 0, 4));
                assertTrue(recv.getMessage().contains("no TCP link to rank 0"), recv.getMessage());
                assertNull(ranks[0].failure(), "a routing error is the caller's, not a broken link");
                ranks[0].endCollective();

                // Rank 0 dialling rank 1 with the job's own identity: refused, it is not a link of rank 1.
                final CollectiveException refused = assertThrows(CollectiveException.class, () -> HandshakeIo.connect(
                    listenAddress(server.port(), handshake, 1), handshake, HandshakeDescriptor.ROLE_PEER, 0, 1,
                    System.nanoTime() + Duration.ofSeconds(5).toNanos()));
                assertTrue(refused.getMessage().contains("not one this rank links"), refused.getMessage());
                assertEquals(1, ranks[1].connectedPeers(), "the refused connection was not kept");
            }
            finally
            {
                for (final TcpPointToPoint rank : ranks)
                {
                    if (rank != null)
                    {
                        rank.close();
                    }
                }
            }
        }
    }

    private static TcpPointToPoint join(final int storePort, final Handshake handshake, final int rank)
    {
        final TcpStoreClient store = TcpStoreClient.connect("127.0.0.1", storePort, handshake, rank, TIMEOUT);
        final TcpLinks links = TcpLinks.of(rank, HOSTS.length, peer -> !HOSTS[peer].equals(HOSTS[rank]));
        final TcpPointToPoint transport = TcpRendezvous.connect(store, handshake, links, "127.0.0.1",
            new InetSocketAddress("127.0.0.1", 0), HOSTS[rank], TIMEOUT);
        transport.watchLinks(Duration.ofSeconds(5));
        return transport;
    }

    /** Where {@code rank} listens, as it published it. */
    private static InetSocketAddress listenAddress(final int storePort, final Handshake handshake, final int rank)
    {
        final TcpStoreClient store = TcpStoreClient.connect("127.0.0.1", storePort, handshake, 99, TIMEOUT);
        final String[] parts = new String(store.get("addr/" + rank), StandardCharsets.UTF_8).split(" ", 3);
        return new InetSocketAddress(parts[0], Integer.parseInt(parts[1]));
    }

    /** 16 bytes from {@code from} to {@code to}, each progressed by its own thread as ranks do. */
    private static void exchange(
        final TcpPointToPoint from, final TcpPointToPoint to, final int fromRank, final int toRank, final long sequence)
        throws Exception
    {
        final MessageHeader header = header(sequence, 16);
        final long deadline = System.nanoTime() + TIMEOUT.toNanos();
        final ByteBuffer src = ByteBuffer.allocateDirect(16);
        for (int i = 0; i < 16; i++)
        {
            src.put(i, (byte)(fromRank * 16 + i));
        }
        final ByteBuffer dst = ByteBuffer.allocateDirect(16);
        final CompletableFuture<Void> sending = CompletableFuture.runAsync(() ->
        {
            from.beginCollective(header, deadline);
            try
            {
                from.await(from.postSend(toRank, header, src, 0, 16));
            }
            finally
            {
                from.endCollective();
            }
        });
        to.beginCollective(header, deadline);
        try
        {
            to.await(to.postRecv(fromRank, header, dst, 0, 16));
        }
        finally
        {
            to.endCollective();
        }
        sending.get(20, TimeUnit.SECONDS);
        for (int i = 0; i < 16; i++)
        {
            assertEquals((byte)(fromRank * 16 + i), dst.get(i), "byte " + i + " from rank " + fromRank + " to " + toRank);
        }
    }

    private static MessageHeader header(final long sequence, final int length)
    {
        return new MessageHeader().collective(7, sequence, CollectiveKind.BROADCAST, DataType.INT8, null, 0, length)
            .chunk(0, length);
    }
}
