package dev.jccl.tcp;

import dev.jccl.CollectiveException;
import dev.jccl.store.Store;
import dev.jccl.wire.Handshake;
import dev.jccl.wire.HandshakeDescriptor;

import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Builds the mesh for one communicator: each rank listens, publishes
 * {@code addr/<rank> = "<host> <port> <hostname>"} in the (already namespaced) store, connects
 * to every higher rank and accepts every lower one; with a {@link TcpLinks} set, only those of
 * them it links (the routed transport leaves out same-host ranks). The listener authenticates
 * concurrently, so the order of connections never deadlocks.
 */
public final class TcpRendezvous
{
    private TcpRendezvous()
    {
    }

    /**
     * @param publishHost address other ranks use to reach this one.
     * @param bindAddress where to listen (port 0: ephemeral).
     */
    public static TcpPointToPoint connect(
        final Store store, final Handshake handshake, final int rank, final int size, final String publishHost,
        final InetSocketAddress bindAddress, final String hostName, final Duration timeout)
    {
        return connect(store, handshake, TcpLinks.allPeers(rank, size), publishHost, bindAddress, hostName, timeout);
    }

    /**
     * As above, connecting only the peers in {@code links}. Every rank still publishes its address
     * and reads every other's (the store keys and the handshake are the same as the full mesh's), so
     * {@link TcpPointToPoint#peerHost} answers for every rank.
     */
    public static TcpPointToPoint connect(
        final Store store, final Handshake handshake, final TcpLinks links, final String publishHost,
        final InetSocketAddress bindAddress, final String hostName, final Duration timeout)
    {
        final int rank = links.rank();
        final int size = links.size();
        final long deadline = System.nanoTime() + timeout.toNanos();
        final SocketChannel[] channels = new SocketChannel[size];
        final String[] hosts = new String[size];
        hosts[rank] = hostName;
        if (size == 1)
        {
            return new TcpPointToPoint(rank, size, hostName, hosts, channels, null, timeout);
        }
        final TcpListener listener = TcpListener.open(bindAddress, handshake, links);
        try
        {
            store.set("addr/" + rank, (publishHost + " " + listener.port() + " " + hostName).getBytes(StandardCharsets.UTF_8));
            final String[] keys = new String[size];
            for (int peer = 0; peer < size; peer++)
            {
                keys[peer] = "addr/" + peer;
            }
            store.waitFor(List.of(keys), Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            final InetSocketAddress[] addresses = new InetSocketAddress[size];
            for (int peer = 0; peer < size; peer++)
            {
                if (peer == rank)
                {
                    continue;
                }
                final String[] parts = new String(store.get(keys[peer]), StandardCharsets.UTF_8).split(" ", 3);
                if (parts.length != 3)
                {
                    throw new CollectiveException("rank " + peer + " published a malformed address in the store");
                }
                addresses[peer] = new InetSocketAddress(parts[0], Integer.parseInt(parts[1]));
                hosts[peer] = parts[2];
            }
            for (int peer = rank + 1; peer < size; peer++)
            {
                if (!links.linked(peer))
                {
                    continue;
                }
                channels[peer] = HandshakeIo.connect(addresses[peer], handshake, HandshakeDescriptor.ROLE_PEER, rank, peer, deadline);
            }
            for (int peer = 0; peer < rank; peer++)
            {
                if (!links.linked(peer))
                {
                    continue;
                }
                channels[peer] = listener.awaitPeer(peer, deadline);
            }
            return new TcpPointToPoint(rank, size, hostName, hosts, channels, listener, timeout, links);
        }
        catch (final RuntimeException ex)
        {
            listener.close();
            for (final SocketChannel channel : channels)
            {
                HandshakeIo.closeQuietly(channel);
            }
            throw ex;
        }
    }
}
