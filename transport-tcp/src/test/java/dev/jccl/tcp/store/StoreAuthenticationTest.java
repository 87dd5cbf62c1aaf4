package dev.jccl.tcp.store;

import dev.jccl.wire.Handshake;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Nothing is served before the handshake: a well-formed request sent in its place is refused, not run. */
class StoreAuthenticationTest
{
    @Test
    void requestBeforeTheHandshakeIsRefusedAndNotServed() throws Exception
    {
        final Handshake handshake = new Handshake("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII), "auth-run");
        try (TcpStoreServer server = new TcpStoreServer("127.0.0.1", 0, handshake))
        {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            StoreWire.writeRequest(new DataOutputStream(bytes), StoreDescriptor.OP_SET, 0,
                new byte[][] {"planted".getBytes(StandardCharsets.UTF_8)}, new byte[] {1});
            try (Socket socket = new Socket("127.0.0.1", server.port()))
            {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(bytes.toByteArray());
                socket.shutdownOutput();
                int read;
                try
                {
                    read = socket.getInputStream().read();
                }
                catch (final IOException reset)
                {
                    read = -1;
                }
                assertEquals(-1, read, "the store answers a stranger with nothing but a hang-up");
            }
            try (TcpStoreClient client = TcpStoreClient.connect("127.0.0.1", server.port(), handshake, 0, Duration.ofSeconds(10)))
            {
                assertFalse(client.check("planted"), "the unauthenticated SET must not have run");
            }
            assertEquals(0, server.keyCount());
        }
    }
}
