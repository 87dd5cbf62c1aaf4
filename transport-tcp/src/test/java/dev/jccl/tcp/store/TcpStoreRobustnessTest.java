package dev.jccl.tcp.store;

import dev.jccl.CollectiveException;
import dev.jccl.CollectiveTimeoutException;
import dev.jccl.tcp.HandshakeIo;
import dev.jccl.wire.Handshake;
import dev.jccl.wire.HandshakeDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static dev.jccl.tcp.store.StoreTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TcpStoreRobustnessTest
{
    private TcpStoreServer server;
    private TcpStoreClient good;

    @BeforeEach
    void start()
    {
        server = new TcpStoreServer("127.0.0.1", 0, handshake());
        good = TcpStoreClient.connect("127.0.0.1", server.port(), handshake(), 0, TIMEOUT);
        good.set("before", bytes("ok"));
    }

    @AfterEach
    void stop()
    {
        good.close();
        server.close();
    }

    private void assertGoodClientStillServed()
    {
        assertEquals("ok", text(good.get("before")));
        good.set("after", bytes("fine"));
        assertEquals("fine", text(good.get("after")));
        try (TcpStoreClient fresh = TcpStoreClient.connect("127.0.0.1", server.port(), handshake(), 1, TIMEOUT))
        {
            assertEquals("fine", text(fresh.get("after")));
        }
    }

    /** Reads until end of stream or reset; true when the server closed the connection within the bound. */
    private static boolean closedByServer(final InputStream in) throws IOException
    {
        final byte[] sink = new byte[256];
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline)
        {
            try
            {
                if (in.read(sink) < 0)
                {
                    return true;
                }
            }
            catch (final java.net.SocketException ex)
            {
                return true; // reset: the server closed with our bytes unread, which is a close too
            }
        }
        return false;
    }

    @Test
    void clientWithWrongTokenGetsClearExceptionAndIsNotServed()
    {
        final Handshake wrong = new Handshake("another-token".getBytes(), "store-test-run");
        final CollectiveException ex = assertThrows(CollectiveException.class,
            () -> TcpStoreClient.connect("127.0.0.1", server.port(), wrong, 3, TIMEOUT));
        assertFalse(ex instanceof CollectiveTimeoutException, "a refusal is not a timeout: " + ex);
        assertTrue(ex.getMessage().contains("token"), ex.getMessage());
        assertTrue(ex.getMessage().contains("127.0.0.1:" + server.port()), ex.getMessage());
        await("the server counted the refusal", () -> server.refusedConnections() >= 1);
        assertGoodClientStillServed();
    }

    @Test
    void clientOfAnotherRunIsRefused()
    {
        final Handshake otherRun = new Handshake(TOKEN, "some-other-run");
        final CollectiveException ex = assertThrows(CollectiveException.class,
            () -> TcpStoreClient.connect("127.0.0.1", server.port(), otherRun, 3, TIMEOUT));
        assertTrue(ex.getMessage().contains("run id"), ex.getMessage());
        await("the server counted the refusal", () -> server.refusedConnections() >= 1);
        assertGoodClientStillServed();
    }

    @Test
    void peerRoleIsNotAdmittedToTheStore()
    {
        final CollectiveException ex = assertThrows(CollectiveException.class, () -> HandshakeIo.connect(
            new InetSocketAddress("127.0.0.1", server.port()), handshake(), HandshakeDescriptor.ROLE_PEER, 1, -1,
            System.nanoTime() + TimeUnit.SECONDS.toNanos(5)));
        assertTrue(ex.getMessage().contains("role"), ex.getMessage());
        assertGoodClientStillServed();
    }

    @Test
    void garbageBytesAreRefusedAndTheServerKeepsServingOthers() throws IOException
    {
        try (Socket socket = new Socket("127.0.0.1", server.port()))
        {
            socket.setSoTimeout(10_000);
            final byte[] garbage = Arrays.copyOf("GET / HTTP/1.1\r\nHost: store\r\n\r\n".getBytes(), 256);
            socket.getOutputStream().write(garbage);
            socket.getOutputStream().flush();
            assertTrue(closedByServer(socket.getInputStream()), "server kept a garbage connection open");
        }
        await("the server counted the refusal", () -> server.refusedConnections() >= 1);
        assertGoodClientStillServed();
    }

    @Test
    void truncatedHandshakeIsRefused() throws IOException
    {
        try (Socket socket = new Socket("127.0.0.1", server.port()))
        {
            socket.getOutputStream().write(new byte[] {'J', 'C'});
            socket.shutdownOutput();
            socket.setSoTimeout(10_000);
            assertTrue(closedByServer(socket.getInputStream()));
        }
        await("the server counted the refusal", () -> server.refusedConnections() >= 1);
        assertGoodClientStillServed();
    }

    private SocketChannel authenticatedRawChannel()
    {
        final SocketChannel channel = HandshakeIo.connect(
            new InetSocketAddress("127.0.0.1", server.port()), handshake(), HandshakeDescriptor.ROLE_STORE_CLIENT, 7, -1,
            System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
        try
        {
            channel.socket().setSoTimeout(10_000);
        }
        catch (final IOException ex)
        {
            throw new AssertionError(ex);
        }
        return channel;
    }

    private void assertRequestClosesOnlyItsConnection(final ByteBuffer request) throws IOException
    {
        final long malformedBefore = server.malformedRequests();
        try (SocketChannel channel = authenticatedRawChannel())
        {
            channel.socket().getOutputStream().write(request.array(), 0, request.position());
            channel.socket().getOutputStream().flush();
            assertTrue(closedByServer(channel.socket().getInputStream()), "server kept a malformed connection open");
        }
        await("the server counted the malformed request", () -> server.malformedRequests() == malformedBefore + 1);
        assertGoodClientStillServed();
    }

    private static ByteBuffer header(final byte opcode, final int keys, final int values)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(StoreDescriptor.REQUEST_HEADER_LENGTH + 64);
        buffer.put(StoreDescriptor.REQUEST_OPCODE_OFFSET, opcode)
            .putInt(StoreDescriptor.REQUEST_KEY_COUNT_OFFSET, keys)
            .putInt(StoreDescriptor.REQUEST_VALUE_COUNT_OFFSET, values)
            .putLong(StoreDescriptor.REQUEST_ARG_OFFSET, 0);
        buffer.position(StoreDescriptor.REQUEST_HEADER_LENGTH);
        return buffer;
    }

    @Test
    void oversizedKeyLengthClosesOnlyThatConnection() throws IOException
    {
        assertRequestClosesOnlyItsConnection(header(StoreDescriptor.OP_SET, 1, 1).putInt(Integer.MAX_VALUE));
    }

    @Test
    void oversizedValueLengthClosesOnlyThatConnection() throws IOException
    {
        assertRequestClosesOnlyItsConnection(
            header(StoreDescriptor.OP_SET, 1, 1).putInt(1).put((byte)'k').putInt(StoreDescriptor.MAX_VALUE_LENGTH + 1));
    }

    @Test
    void negativeLengthClosesOnlyThatConnection() throws IOException
    {
        assertRequestClosesOnlyItsConnection(header(StoreDescriptor.OP_GET, 1, 0).putInt(-5));
    }

    @Test
    void tooManyWaitKeysClosesOnlyThatConnection() throws IOException
    {
        assertRequestClosesOnlyItsConnection(header(StoreDescriptor.OP_WAIT, StoreDescriptor.MAX_WAIT_KEYS + 1, 0));
    }

    @Test
    void unknownOpcodeClosesOnlyThatConnection() throws IOException
    {
        assertRequestClosesOnlyItsConnection(header((byte)99, 1, 0));
    }

    @Test
    void wrongValueCountClosesOnlyThatConnection() throws IOException
    {
        assertRequestClosesOnlyItsConnection(header(StoreDescriptor.OP_COMPARE_SET, 1, 1));
    }

    @Test
    void closeIsBoundedAndTellsBlockedClientsTheStoreIsGone() throws Exception
    {
        final CompletableFuture<byte[]> blocked = CompletableFuture.supplyAsync(() -> good.get("never-set"));
        await("the server holds the waiting connection", () -> server.connectionCount() >= 1);
        Thread.sleep(100);
        final long start = System.nanoTime();
        server.close();
        final long closeMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(closeMs <= TcpStoreServer.CLOSE_TIMEOUT_MS + 1_000, "close took " + closeMs + " ms");
        final ExecutionException ex = assertThrows(ExecutionException.class, () -> blocked.get(10, TimeUnit.SECONDS));
        assertTrue(ex.getCause() instanceof CollectiveException, String.valueOf(ex.getCause()));
        assertFalse(ex.getCause() instanceof CollectiveTimeoutException, String.valueOf(ex.getCause()));
        assertTrue(ex.getCause().getMessage().contains("gone"), ex.getCause().getMessage());
        assertTrue(ex.getCause().getMessage().contains("127.0.0.1:" + server.port()), ex.getCause().getMessage());
        final CollectiveException later = assertThrows(CollectiveException.class, () -> good.check("before"));
        assertTrue(later.getMessage().contains("gone"), later.getMessage());
        await("the server's threads ended", () -> Thread.getAllStackTraces().keySet().stream()
            .noneMatch(t -> t.getName().startsWith("jccl-store-") && t.getName().contains("-" + server.port())));
        server.close();
    }

    @Test
    void clientCloseUnblocksItsOwnPendingGet() throws Exception
    {
        final CompletableFuture<byte[]> blocked = CompletableFuture.supplyAsync(() -> good.get("never-set"));
        Thread.sleep(100);
        good.close();
        final ExecutionException ex = assertThrows(ExecutionException.class, () -> blocked.get(10, TimeUnit.SECONDS));
        assertTrue(ex.getCause().getMessage().contains("closed"), ex.getCause().getMessage());
        assertThrows(CollectiveException.class, () -> good.check("before"));
    }

    @Test
    void connectTimesOutNamingHostAndPortWhenNothingListens()
    {
        final int port = freePort();
        final long start = System.nanoTime();
        final CollectiveTimeoutException ex = assertThrows(CollectiveTimeoutException.class,
            () -> TcpStoreClient.connect("127.0.0.1", port, handshake(), 1, Duration.ofMillis(300)));
        assertTrue(ex.getMessage().contains("127.0.0.1:" + port), ex.getMessage());
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 5_000);
    }

    @Test
    void clientConnectingBeforeTheServerStartsRetriesUntilItIsUp() throws Exception
    {
        final int port = freePort();
        final CompletableFuture<TcpStoreClient> early = CompletableFuture.supplyAsync(
            () -> TcpStoreClient.connect("127.0.0.1", port, handshake(), 1, TIMEOUT));
        Thread.sleep(200);
        try (TcpStoreServer late = new TcpStoreServer("127.0.0.1", port, handshake());
            TcpStoreClient client = early.get(10, TimeUnit.SECONDS))
        {
            client.set("k", bytes("v"));
            assertEquals("v", text(client.get("k")));
            assertEquals(1, late.keyCount());
        }
    }
}
