package dev.jccl.tcp;

import dev.jccl.spi.NativeSockets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link TcpCongestion} on real loopback sockets, read back with getsockopt through the native
 * library (jccl-native is on this module's test class path).
 */
class TcpCongestionTest
{
    private final NativeSockets sockets = NativeSockets.find();
    private ServerSocketChannel server;
    private SocketChannel client;
    private SocketChannel accepted;

    @BeforeEach
    void connectLoopbackPair() throws IOException
    {
        server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = SocketChannel.open(server.getLocalAddress());
        accepted = server.accept();
    }

    @AfterEach
    void close() throws IOException
    {
        for (final java.io.Closeable c : new java.io.Closeable[] { client, accepted, server })
        {
            if (c != null)
            {
                c.close();
            }
        }
    }

    @Test
    void nativeSocketOptionsAreFoundOnTheTestClassPath()
    {
        assertNotNull(sockets, "jccl-native's NativeSockets provider should load here");
    }

    @Test
    void descriptorOfAConnectedChannelIsItsSocket()
    {
        final int fd = TcpCongestion.descriptorOf(client);
        assertTrue(fd > 2, "fd " + fd);
        assertNotNull(sockets.tcpCongestion(fd), "getsockopt on that descriptor works");
    }

    @Test
    void autoSetsRenoOnLoopbackLinks()
    {
        assumeRenoAllowed();
        final TcpCongestion auto = new TcpCongestion("auto", sockets);
        assertEquals("reno", auto.apply(client, 1));
        assertEquals("reno", auto.apply(accepted, 0));
        assertEquals("reno", sockets.tcpCongestion(TcpCongestion.descriptorOf(client)));
        assertEquals("reno", sockets.tcpCongestion(TcpCongestion.descriptorOf(accepted)));
        assertBytesStillFlow();
    }

    @Test
    void kernelLeavesTheDefaultAlone()
    {
        final String before = sockets.tcpCongestion(TcpCongestion.descriptorOf(client));
        final TcpCongestion kernel = new TcpCongestion("kernel", sockets);
        assertNull(kernel.apply(client, 1));
        assertEquals(before, sockets.tcpCongestion(TcpCongestion.descriptorOf(client)));
    }

    @Test
    void anExplicitNameIsSetOnEveryLink()
    {
        final String other = allowed().stream().filter(name -> !name.equals("reno")).findFirst().orElse("reno");
        final TcpCongestion explicit = new TcpCongestion(other, sockets);
        assertEquals(other, explicit.apply(client, 1));
        assertEquals(other, sockets.tcpCongestion(TcpCongestion.descriptorOf(client)));
    }

    @Test
    void anUnknownAlgorithmFailsBeforeAnyConnectionNamingTheProperty()
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> new TcpCongestion("nosuchcc", sockets));
        assertTrue(ex.getMessage().startsWith("jccl.tcp.congestion=nosuchcc: the kernel refuses TCP_CONGESTION=nosuchcc"),
            ex.getMessage());
        assertTrue(ex.getMessage().contains("this host allows: "), ex.getMessage());
    }

    @Test
    void aMalformedSettingFailsNamingTheProperty()
    {
        for (final String bad : new String[] { "", "  ", "re no", "cubic;rm", "averyveryverylongname" })
        {
            final IllegalArgumentException ex =
                assertThrows(IllegalArgumentException.class, () -> new TcpCongestion(bad, sockets), bad);
            assertTrue(ex.getMessage().startsWith("jccl.tcp.congestion='" + bad + "': expected auto, kernel"), ex.getMessage());
        }
    }

    @Test
    void withoutTheNativeLibraryAutoKeepsTheKernelDefaultButAnExplicitNameIsAnError()
    {
        final TcpCongestion auto = new TcpCongestion("auto", null);
        assertNull(auto.apply(client, 1));
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> new TcpCongestion("reno", null));
        assertTrue(ex.getMessage().contains("needs jccl-native"), ex.getMessage());
    }

    @Test
    void onlyThisHostsAddressesCountAsLocal() throws IOException
    {
        assertTrue(TcpCongestion.isThisHost(new InetSocketAddress(InetAddress.getLoopbackAddress(), 1)));
        assertTrue(TcpCongestion.isThisHost(client.getRemoteAddress()));
        // TEST-NET-1 (RFC 5737) is never a local interface's.
        assertFalse(TcpCongestion.isThisHost(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 1)));
    }

    private void assertBytesStillFlow()
    {
        try
        {
            final ByteBuffer out = ByteBuffer.wrap(new byte[] { 1, 2, 3 });
            while (out.hasRemaining())
            {
                client.write(out);
            }
            final ByteBuffer in = ByteBuffer.allocate(3);
            while (in.hasRemaining())
            {
                accepted.read(in);
            }
            assertEquals(3, in.get(2));
        }
        catch (final IOException ex)
        {
            throw new AssertionError(ex);
        }
    }

    private static List<String> allowed()
    {
        return Arrays.asList(TcpCongestion.allowedHere().split("\\s+"));
    }

    private static void assumeRenoAllowed()
    {
        assumeTrue(allowed().contains("reno"), "reno is not in this host's tcp_allowed_congestion_control: " + allowed());
    }
}
