package dev.jccl.tcp.store;

import dev.jccl.tcp.HandshakeIo;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;

import static dev.jccl.tcp.store.StoreDescriptor.REQUEST_HEADER_LENGTH;
import static dev.jccl.wire.HandshakeDescriptor.ROLE_STORE_CLIENT;
import static dev.jccl.wire.HandshakeDescriptor.STATUS_BAD_ROLE;
import static java.lang.System.Logger.Level.DEBUG;

/**
 * One client connection of a {@link TcpStoreServer} and the thread that serves it: the HMAC
 * handshake as the acceptor (only {@code ROLE_STORE_CLIENT} is admitted), then one request at a
 * time, each answered by the server's {@link StoreKeyTable}. A malformed request closes only this
 * connection.
 */
final class StoreConnection
{
    /** The server's logger: what a connection logs reads as the store's. */
    private static final System.Logger LOG = System.getLogger(TcpStoreServer.class.getName());
    private static final int IO_BUFFER_SIZE = 64 * 1024;

    private final TcpStoreServer server;
    private final StoreKeyTable keys;
    private final SocketChannel channel;
    private final SocketAddress remote;
    volatile Thread thread;
    /** Between reading a request and flushing its answer (see {@link TcpStoreServer#close()}). */
    volatile boolean answering;
    private int rank = Integer.MIN_VALUE;

    StoreConnection(final TcpStoreServer server, final StoreKeyTable keys, final SocketChannel channel)
    {
        this.server = server;
        this.keys = keys;
        this.channel = channel;
        this.remote = TcpStoreServer.remoteOf(channel);
    }

    void close()
    {
        TcpStoreServer.closeQuietly(channel);
    }

    void run()
    {
        try
        {
            final HandshakeIo.Accepted who = HandshakeIo.accept(
                channel, server.handshake(), TcpStoreServer.STORE_RANK,
                (role, claimedRank) -> role == ROLE_STORE_CLIENT ? (byte)0 /* STATUS_OK */ : STATUS_BAD_ROLE);
            rank = who.rank;
            serve();
        }
        catch (final HandshakeIo.Refused ex)
        {
            if (!server.isClosed())
            {
                server.logRefusal(remote, ex.getMessage());
            }
        }
        catch (final EOFException ex)
        {
            if (!server.isClosed())
            {
                LOG.log(DEBUG, () -> describe() + " closed its connection in the middle of a request");
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            if (!server.isClosed())
            {
                LOG.log(DEBUG, () -> describe() + " dropped: " + ex);
            }
        }
        catch (final InterruptedException ex)
        {
            // Only close() interrupts; fall through to cleanup.
        }
        finally
        {
            close();
            server.removed(this);
        }
    }

    private String describe()
    {
        return "store client" + (rank == Integer.MIN_VALUE ? "" : " rank " + rank) + " at " + remote;
    }

    private void serve() throws IOException, InterruptedException
    {
        final DataInputStream in = new DataInputStream(new BufferedInputStream(channel.socket().getInputStream(), IO_BUFFER_SIZE));
        final DataOutputStream out = new DataOutputStream(new BufferedOutputStream(channel.socket().getOutputStream(), IO_BUFFER_SIZE));
        final byte[] header = new byte[REQUEST_HEADER_LENGTH];
        while (!server.isClosed())
        {
            final StoreWire.Request request;
            try
            {
                request = StoreWire.readRequest(in, header);
            }
            catch (final StoreWire.MalformedException ex)
            {
                server.logMalformed(remote, describe() + " sent a malformed request (" + ex.getMessage() +
                    "); closing its connection");
                return;
            }
            if (request == null)
            {
                return;
            }
            answering = true;
            try
            {
                if (!keys.answer(request, out))
                {
                    return;
                }
            }
            finally
            {
                answering = false;
            }
        }
    }
}
