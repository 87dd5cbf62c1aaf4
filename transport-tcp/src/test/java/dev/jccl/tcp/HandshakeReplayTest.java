package dev.jccl.tcp;

import dev.jccl.tcp.store.TcpStoreClient;
import dev.jccl.tcp.store.TcpStoreServer;
import dev.jccl.wire.Handshake;
import dev.jccl.wire.HandshakeDescriptor;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static dev.jccl.wire.HandshakeDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recorded handshakes are useless: the bytes a real client sent, replayed against a new
 * connection, fail because the server's nonce is fresh each time. And the acceptor's whole
 * handshake has one deadline, so a byte-at-a-time client is dropped.
 */
class HandshakeReplayTest
{
    private static final byte[] TOKEN = "0123456789abcdef0123456789abcdef".getBytes();
    private static final String RUN_ID = "replay-run";

    @Test
    void replayedStoreClientHandshakeIsRefused() throws Exception
    {
        final Handshake handshake = new Handshake(TOKEN, RUN_ID);
        try (TcpStoreServer store = new TcpStoreServer("127.0.0.1", 0, handshake);
             ServerSocket recorder = new ServerSocket(0))
        {
            // Record: a man in the middle relays a real client's handshake to the store and keeps what the client sent.
            final ByteArrayOutputStream recorded = new ByteArrayOutputStream();
            final Thread relay = new Thread(() -> relayAndRecord(recorder, store.port(), recorded), "relay");
            relay.setDaemon(true);
            relay.start();
            try (TcpStoreClient client = TcpStoreClient.connect("127.0.0.1", recorder.getLocalPort(), handshake, 0, Duration.ofSeconds(10)))
            {
                client.set("k", new byte[] {1});
            }
            relay.join(10_000);
            final byte[] clientBytes;
            synchronized (recorded)
            {
                clientBytes = recorded.toByteArray();
            }
            final int handshakeLength = handshake.helloLength() + RESPONSE_LENGTH;
            assertTrue(clientBytes.length >= handshakeLength, "recorded " + clientBytes.length + " bytes");

            // Replay HELLO, read the fresh CHALLENGE, send the recorded RESPONSE: the store must refuse.
            final long refusedBefore = store.refusedConnections();
            try (Socket socket = new Socket())
            {
                socket.connect(new InetSocketAddress("127.0.0.1", store.port()), 5000);
                socket.setSoTimeout(10_000);
                final OutputStream out = socket.getOutputStream();
                final DataInputStream in = new DataInputStream(socket.getInputStream());
                out.write(clientBytes, 0, handshake.helloLength());
                final byte[] challenge = new byte[CHALLENGE_LENGTH];
                in.readFully(challenge);
                assertEquals(STATUS_OK, challenge[6], "run id and version are right, so the store challenges");
                out.write(clientBytes, handshake.helloLength(), RESPONSE_LENGTH);
                assertEquals(STATUS_BAD_TOKEN, in.read(), "the replayed response answers an old challenge");
                // The recorded SET request that followed must never be served: the store hangs up.
                int answer;
                try
                {
                    out.write(clientBytes, handshakeLength, clientBytes.length - handshakeLength);
                    answer = in.read();
                }
                catch (final IOException reset)
                {
                    answer = -1;
                }
                assertEquals(-1, answer, "the store closes the connection after refusing");
            }
            awaitRefusals(store::refusedConnections, refusedBefore + 1);
        }
    }

    @Test
    void everyConnectionGetsAFreshChallenge() throws Exception
    {
        final Handshake handshake = new Handshake(TOKEN, RUN_ID);
        final byte[] hello = helloBytes(handshake, Handshake.newNonce());
        try (TcpStoreServer store = new TcpStoreServer("127.0.0.1", 0, handshake))
        {
            final byte[] first = challengeFor(store.port(), hello);
            final byte[] second = challengeFor(store.port(), hello);
            assertFalse(Arrays.equals(first, second), "the same HELLO must meet a new nonce");
            assertNotEquals(0, first.length);
        }
    }

    @Test
    void byteAtATimeHandshakeIsDroppedAtTheDeadline() throws Exception
    {
        final Handshake handshake = new Handshake(TOKEN, RUN_ID);
        final byte[] hello = helloBytes(handshake, Handshake.newNonce());
        try (TcpStoreServer store = new TcpStoreServer("127.0.0.1", 0, handshake);
             Socket socket = new Socket())
        {
            socket.connect(new InetSocketAddress("127.0.0.1", store.port()), 5000);
            socket.setSoTimeout(50);
            final long start = System.nanoTime();
            boolean dropped = false;
            // One byte every 250 ms keeps each read alive well within the per-read timeout of old;
            // the whole-handshake deadline must still end it.
            for (int i = 0; i < hello.length - 1 && !dropped; i++)
            {
                try
                {
                    socket.getOutputStream().write(hello[i]);
                    if (socket.getInputStream().read() < 0)
                    {
                        dropped = true;
                    }
                }
                catch (final SocketTimeoutException stillOpen)
                {
                    Thread.sleep(200);
                }
                catch (final IOException reset)
                {
                    dropped = true;
                }
            }
            final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(dropped, "still connected after " + elapsedMs + " ms of a trickled handshake");
            assertTrue(elapsedMs >= HandshakeIo.HANDSHAKE_READ_TIMEOUT_MS - 500, "dropped early, after " + elapsedMs + " ms");
        }
    }

    static byte[] helloBytes(final Handshake handshake, final byte[] nonce)
    {
        final java.nio.ByteBuffer hello = java.nio.ByteBuffer.allocate(handshake.helloLength());
        handshake.writeHello(hello, HandshakeDescriptor.ROLE_STORE_CLIENT, 0, nonce);
        return hello.array();
    }

    private static byte[] challengeFor(final int port, final byte[] hello) throws IOException
    {
        try (Socket socket = new Socket("127.0.0.1", port))
        {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(hello);
            final byte[] challenge = new byte[CHALLENGE_LENGTH];
            new DataInputStream(socket.getInputStream()).readFully(challenge);
            return challenge;
        }
    }

    private static void awaitRefusals(final java.util.function.LongSupplier count, final long atLeast) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (count.getAsLong() < atLeast && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
        }
        assertTrue(count.getAsLong() >= atLeast, "refusal not recorded: " + count.getAsLong());
    }

    /** Accepts one connection and relays both directions to the store, copying the client's bytes. */
    private static void relayAndRecord(final ServerSocket recorder, final int storePort, final ByteArrayOutputStream recorded)
    {
        try (Socket client = recorder.accept(); Socket server = new Socket("127.0.0.1", storePort))
        {
            final Thread back = new Thread(() -> pump(server, client, null), "relay-back");
            back.setDaemon(true);
            back.start();
            pump(client, server, recorded);
            back.join(5000);
        }
        catch (final IOException | InterruptedException ignore)
        {
            // The test's assertions say what went wrong.
        }
    }

    private static void pump(final Socket from, final Socket to, final ByteArrayOutputStream copy)
    {
        final byte[] buffer = new byte[4096];
        try
        {
            final InputStream in = from.getInputStream();
            int n;
            while ((n = in.read(buffer)) >= 0)
            {
                if (copy != null)
                {
                    synchronized (copy)
                    {
                        copy.write(buffer, 0, n);
                    }
                }
                to.getOutputStream().write(buffer, 0, n);
            }
            to.shutdownOutput();
        }
        catch (final IOException ignore)
        {
            // Either side closing ends the relay.
        }
    }
}
