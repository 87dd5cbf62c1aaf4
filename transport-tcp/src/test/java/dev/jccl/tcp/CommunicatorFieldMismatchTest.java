package dev.jccl.tcp;

import dev.jccl.CollectiveMismatchException;
import dev.jccl.CollectiveTimeoutException;
import dev.jccl.Communicator;
import dev.jccl.DataType;
import dev.jccl.PeerFailureException;
import dev.jccl.ReduceOp;
import dev.jccl.tcp.store.TcpStoreClient;
import dev.jccl.tcp.store.TcpStoreServer;
import dev.jccl.wire.CollectiveKind;
import dev.jccl.wire.Handshake;
import dev.jccl.wire.MessageHeader;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The communicator field of the call header (issue 7: mismatch detection for every field).
 *
 * <p>Each communicator, the world and every split of it, has its own connections
 * ({@code SubCommunicatorFactory} runs a fresh rendezvous), so a frame of one communicator can
 * never arrive on another's socket through the API. Ranks that call the same collective on two
 * different communicators therefore never see each other's header: each waits on a link the other
 * does not use, which is indistinguishable from a peer that is merely late (MPI hangs there). What
 * the library guarantees instead is the call timeout: every rank gets a
 * {@link CollectiveTimeoutException} naming its call, its sequence number and the ranks it did not
 * hear from, and no rank mistakes the quiet (heartbeating) peer for a dead one.
 *
 * <p>The header check itself is still there for a frame that does carry another communicator's
 * id (a broken or hostile peer that passed the handshake): at the transport level, over real
 * sockets, such a frame fails the receive with {@link CollectiveMismatchException} naming both ids.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CommunicatorFieldMismatchTest
{
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration QUICK = Duration.ofSeconds(20);
    private static final long WORLD_VS_SPLIT_BOUND_MS = 10_000;

    @ParameterizedTest(name = "{0}")
    @EnumSource(CollectiveKind.class)
    void sameCollectiveOnWorldAndOnItsSplitTimesOutNamingTheCallOnEveryRank(final CollectiveKind kind)
    {
        try (ThreadedCluster cluster = ThreadedCluster.start(3, c -> c.timeout(Duration.ofSeconds(60))))
        {
            // Nobody closes its split before every rank's call ended: a closed peer is a failure of its own.
            final CountDownLatch callsEnded = new CountDownLatch(3);
            final long start = System.nanoTime();
            final Throwable[] thrown = cluster.runExpectingFailure(world ->
            {
                // Every rank in one color: the split has the world's members, ranks and size, only another id.
                try (Communicator sub = world.split(0, world.rank()))
                {
                    assertNotEquals(world.id(), sub.id());
                    final Communicator target = world.rank() == 0 ? world : sub;
                    try
                    {
                        call(kind, target.withTimeout(CALL_TIMEOUT));
                    }
                    finally
                    {
                        callsEnded.countDown();
                        awaitQuietly(callsEnded);
                    }
                }
            }, QUICK);
            final long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            Throwable example = null;
            for (int rank = 0; rank < thrown.length; rank++)
            {
                final Throwable t = thrown[rank];
                if (t == null)
                {
                    // Sends are eager: a rank that only sends (broadcast's root, reduce's leaves) may return.
                    assertFalse(mustReceive(kind, rank), "rank " + rank + " returned from a " + kind.apiName() +
                        " nobody else made on its communicator");
                    continue;
                }
                assertInstanceOf(CollectiveTimeoutException.class, t, "rank " + rank + ": " + t);
                assertFalse(t instanceof PeerFailureException, "a peer busy on another communicator is not dead: " + t);
                assertTrue(t.getMessage().contains(kind.apiName()) && t.getMessage().contains("seq ") &&
                    t.getMessage().contains(", communicator ") && t.getMessage().contains("not heard from"), t.getMessage());
                example = example == null ? t : example;
            }
            assertNotNull(example, "nobody noticed");
            System.out.println("[CommunicatorFieldMismatchTest] " + kind.apiName() + " on world (rank 0) vs split (ranks 1, 2): " +
                "ended in " + tookMs + " ms; e.g. " + example.getMessage());
            assertTrue(tookMs < WORLD_VS_SPLIT_BOUND_MS, "took " + tookMs + " ms with a 1 s call timeout");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(CollectiveKind.class)
    void frameCarryingAnotherCommunicatorIdFailsTheReceiveNamingBothIds(final CollectiveKind kind) throws Exception
    {
        final Handshake handshake = new Handshake("communicator-field-token".getBytes(), "comm-field-" + kind);
        try (TcpStoreServer server = new TcpStoreServer("127.0.0.1", 0, handshake))
        {
            final CompletableFuture<TcpPointToPoint> a = CompletableFuture.supplyAsync(() -> join(server, handshake, 0));
            final CompletableFuture<TcpPointToPoint> b = CompletableFuture.supplyAsync(() -> join(server, handshake, 1));
            try (TcpPointToPoint sender = a.get(20, TimeUnit.SECONDS); TcpPointToPoint receiver = b.get(20, TimeUnit.SECONDS))
            {
                final boolean barrier = kind == CollectiveKind.BARRIER;
                final int length = barrier ? 0 : 16;
                final MessageHeader sent = header(7, kind, length);
                final MessageHeader expected = header(8, kind, length);
                final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                sender.beginCollective(sent, deadline);
                receiver.beginCollective(expected, deadline);
                // Each side progresses its own link, as ranks do inside a call.
                final CompletableFuture<Void> sending = CompletableFuture.runAsync(() ->
                    sender.await(sender.postSend(1, sent, ByteBuffer.allocateDirect(16), 0, length)));
                final long recvTicket = receiver.postRecv(0, expected, ByteBuffer.allocateDirect(16), 0, length);
                final CollectiveMismatchException ex = assertThrows(CollectiveMismatchException.class, () -> receiver.await(recvTicket));
                assertTrue(ex.getMessage().contains("comm 8") && ex.getMessage().contains("comm 7") &&
                    ex.getMessage().contains(kind.apiName()), ex.getMessage());
                System.out.println("[CommunicatorFieldMismatchTest] " + ex.getMessage());
                sending.get(10, TimeUnit.SECONDS);
            }
        }
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await(QUICK.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether {@code rank} needs data from another rank in this test's call: then it cannot return. */
    private static boolean mustReceive(final CollectiveKind kind, final int rank)
    {
        return switch (kind)
        {
            case BROADCAST -> rank != 0;  // the world's root sends only; the split's root (rank 0) never called
            case REDUCE -> rank == 0;     // the world's root waits for data; the split's leaves send only
            default -> true;
        };
    }

    private static TcpPointToPoint join(final TcpStoreServer server, final Handshake handshake, final int rank)
    {
        final TcpStoreClient store = TcpStoreClient.connect("127.0.0.1", server.port(), handshake, rank, Duration.ofSeconds(20));
        final TcpPointToPoint transport = TcpRendezvous.connect(store, handshake, rank, 2, "127.0.0.1",
            new java.net.InetSocketAddress("127.0.0.1", 0), "host" + rank, Duration.ofSeconds(20));
        transport.watchLinks(Duration.ofSeconds(5));
        return transport;
    }

    /** One chunk of {@code kind} on communicator {@code communicatorId}, every other field the same on both ranks. */
    private static MessageHeader header(final long communicatorId, final CollectiveKind kind, final int length)
    {
        final boolean reduces = kind == CollectiveKind.ALL_REDUCE || kind == CollectiveKind.REDUCE || kind == CollectiveKind.REDUCE_SCATTER;
        final boolean barrier = kind == CollectiveKind.BARRIER;
        return new MessageHeader().collective(communicatorId, 1, kind, barrier ? null : DataType.FLOAT32,
            reduces ? ReduceOp.SUM : null, 0, barrier ? 0 : 4).chunk(0, length);
    }

    /** {@code kind} on {@code comm} with buffers every rank sizes alike. */
    private static void call(final CollectiveKind kind, final Communicator comm)
    {
        final int size = comm.size();
        switch (kind)
        {
            case ALL_REDUCE -> comm.allReduce(new float[8], ReduceOp.SUM);
            case BROADCAST -> comm.broadcast(new float[8], 0);
            case ALL_GATHER -> comm.allGather(new float[8], new float[8 * size]);
            case REDUCE_SCATTER -> comm.reduceScatter(new float[8 * size], new float[8], ReduceOp.SUM);
            case REDUCE -> comm.reduce(new float[8], new float[8], ReduceOp.SUM, 0);
            case BARRIER -> comm.barrier();
        }
    }
}
