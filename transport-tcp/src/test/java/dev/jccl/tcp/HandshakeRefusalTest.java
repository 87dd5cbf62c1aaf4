package dev.jccl.tcp;

import dev.jccl.CollectiveException;
import dev.jccl.ReduceOp;
import dev.jccl.tcp.store.TcpStoreClient;
import dev.jccl.wire.Handshake;
import dev.jccl.wire.HandshakeDescriptor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A rank's listener must refuse strangers (wrong magic, other run id, wrong token, truncated or
 * random bytes) and keep serving the job: the collectives that follow stay exact.
 */
class HandshakeRefusalTest
{
    @Test
    void listenerRefusesBadHandshakesWhileJobKeepsWorking() throws Exception
    {
        try (ThreadedCluster cluster = ThreadedCluster.start(3))
        {
            final InetSocketAddress target = listenAddressOf(cluster, 1);

            // Wrong token: the connector must be told "authentication failed" and get nothing.
            final Handshake wrongToken = new Handshake(new byte[32], cluster.runId());
            assertThrows(CollectiveException.class, () -> HandshakeIo.connect(target, wrongToken,
                HandshakeDescriptor.ROLE_PEER, 0, 1, System.nanoTime() + Duration.ofSeconds(5).toNanos()));

            // Another job's run id with the right token.
            final Handshake otherRun = new Handshake(cluster.token(), "some-other-job");
            assertThrows(CollectiveException.class, () -> HandshakeIo.connect(target, otherRun,
                HandshakeDescriptor.ROLE_PEER, 0, 1, System.nanoTime() + Duration.ofSeconds(5).toNanos()));

            // The right identity claiming a rank that is already connected.
            final Handshake right = new Handshake(cluster.token(), cluster.runId());
            assertThrows(CollectiveException.class, () -> HandshakeIo.connect(target, right,
                HandshakeDescriptor.ROLE_PEER, 0, 1, System.nanoTime() + Duration.ofSeconds(5).toNanos()));

            // Raw garbage: wrong magic, a truncated hello, random bytes, then hang up.
            final Random random = new Random(42);
            for (int i = 0; i < 20; i++)
            {
                final byte[] junk = new byte[1 + random.nextInt(200)];
                random.nextBytes(junk);
                if (i % 4 == 1)
                {
                    final ByteBuffer hello = ByteBuffer.allocate(HandshakeDescriptor.HELLO_FIXED_LENGTH);
                    hello.putInt(HandshakeDescriptor.MAGIC).putShort(HandshakeDescriptor.VERSION);
                    System.arraycopy(hello.array(), 0, junk, 0, Math.min(junk.length, 6));
                }
                sendAndHangUp(target, junk);
            }

            cluster.run(comm ->
            {
                final double[] data = new double[1000];
                for (int i = 0; i < data.length; i++)
                {
                    data[i] = comm.rank() * 1000 + i;
                }
                comm.allReduce(data, ReduceOp.SUM);
                final double[] expected = new double[1000];
                for (int i = 0; i < expected.length; i++)
                {
                    expected[i] = 3000 + 3.0 * i;
                }
                assertArrayEquals(expected, data);
            });
        }
    }

    private static InetSocketAddress listenAddressOf(final ThreadedCluster cluster, final int rank)
    {
        final Handshake handshake = new Handshake(cluster.token(), cluster.runId());
        try (TcpStoreClient store = TcpStoreClient.connect("127.0.0.1", cluster.storePort(), handshake, 99, Duration.ofSeconds(10)))
        {
            final String[] parts = new String(store.get("jccl/" + cluster.runId() + "/comm/0/addr/" + rank), StandardCharsets.UTF_8).split(" ");
            return new InetSocketAddress(parts[0], Integer.parseInt(parts[1]));
        }
    }

    private static void sendAndHangUp(final InetSocketAddress target, final byte[] bytes) throws IOException
    {
        try (Socket socket = new Socket())
        {
            socket.connect(target, 2000);
            socket.setSoTimeout(2000);
            try
            {
                final OutputStream out = socket.getOutputStream();
                out.write(bytes);
                out.flush();
                socket.shutdownOutput();
                final InputStream in = socket.getInputStream();
                final byte[] sink = new byte[256];
                // The listener answers or closes; either way this read ends (bounded by SO_TIMEOUT).
                while (in.read(sink) >= 0)
                {
                    // drain
                }
            }
            catch (final IOException refused)
            {
                // A reset or silence is a refusal too: what matters is that the job keeps working.
            }
        }
    }
}
