package dev.jccl.tcp;

import dev.jccl.CollectiveTimeoutException;
import dev.jccl.wire.Handshake;
import dev.jccl.wire.HandshakeDescriptor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A rank's listening socket. An acceptor thread takes connections and hands each to a small pool
 * that runs the handshake, so one stalled or hostile client never delays the job's own peers.
 * Authenticated peers of lower rank are parked until rendezvous collects them; everything else is
 * refused with one log line naming the remote address and the reason, and the listener keeps serving.
 */
final class TcpListener implements AutoCloseable
{
    private static final System.Logger LOG = System.getLogger(TcpListener.class.getName());
    private static final int HANDSHAKE_THREADS = 4;
    private static final int HANDSHAKE_QUEUE = 64;

    private final ServerSocketChannel server;
    private final Handshake handshake;
    private final int rank;
    private final TcpLinks links;
    private final SocketChannel[] peers;
    private final ThreadPoolExecutor handshakers;
    private final Thread acceptor;
    private final RefusalLog refusals;
    private volatile boolean closed;

    private TcpListener(final ServerSocketChannel server, final Handshake handshake, final TcpLinks links)
    {
        this.server = server;
        this.handshake = handshake;
        this.rank = links.rank();
        this.links = links;
        this.peers = new SocketChannel[links.size()];
        this.refusals = new RefusalLog(LOG, "rank " + rank + " listener");
        this.handshakers = new ThreadPoolExecutor(
            HANDSHAKE_THREADS, HANDSHAKE_THREADS, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(HANDSHAKE_QUEUE),
            runnable ->
            {
                final Thread thread = new Thread(runnable, "jccl-handshake-r" + rank);
                thread.setDaemon(true);
                return thread;
            });
        handshakers.allowCoreThreadTimeOut(true);
        this.acceptor = new Thread(this::acceptLoop, "jccl-listener-r" + rank);
        acceptor.setDaemon(true);
    }

    /** Binds {@code bindAddress} (port 0 for an ephemeral one) and starts accepting the lower ranks {@code links} names. */
    static TcpListener open(final InetSocketAddress bindAddress, final Handshake handshake, final TcpLinks links)
    {
        final int rank = links.rank();
        try
        {
            final ServerSocketChannel server = ServerSocketChannel.open();
            server.bind(bindAddress, 128);
            final TcpListener listener = new TcpListener(server, handshake, links);
            listener.acceptor.start();
            return listener;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("rank " + rank + " cannot listen on " + bindAddress, ex);
        }
    }

    int port()
    {
        return server.socket().getLocalPort();
    }

    private void acceptLoop()
    {
        while (!closed)
        {
            final SocketChannel channel;
            try
            {
                channel = server.accept();
            }
            catch (final ClosedChannelException ex)
            {
                return;
            }
            catch (final IOException ex)
            {
                if (!closed)
                {
                    LOG.log(System.Logger.Level.WARNING, "rank {0}: accept failed: {1}", rank, ex.getMessage());
                    pause();
                }
                continue;
            }
            try
            {
                handshakers.execute(() -> handshake(channel));
            }
            catch (final RejectedExecutionException ex)
            {
                refusals.refused(remoteAddress(channel), "too many handshakes in progress");
                HandshakeIo.closeQuietly(channel);
            }
        }
    }

    private void handshake(final SocketChannel channel)
    {
        try
        {
            channel.socket().setTcpNoDelay(true);
            final HandshakeIo.Accepted accepted = HandshakeIo.accept(channel, handshake, rank, this::admit);
            synchronized (this)
            {
                peers[accepted.rank] = channel;
                notifyAll();
            }
        }
        catch (final HandshakeIo.Refused ex)
        {
            refusals.refused(remoteAddress(channel), ex.getMessage());
            HandshakeIo.closeQuietly(channel);
        }
        catch (final IOException | RuntimeException ex)
        {
            if (!closed)
            {
                refusals.refused(remoteAddress(channel), "connection failed during the handshake: " + ex);
            }
            HandshakeIo.closeQuietly(channel);
        }
    }

    /** Peers connect to higher ranks only, once each, and only where this rank links them. */
    private synchronized byte admit(final byte role, final int peerRank)
    {
        if (role != HandshakeDescriptor.ROLE_PEER)
        {
            return HandshakeDescriptor.STATUS_BAD_ROLE;
        }
        if (peerRank < 0 || peerRank >= rank || !links.linked(peerRank) || peers[peerRank] != null)
        {
            return HandshakeDescriptor.STATUS_BAD_RANK;
        }
        return HandshakeDescriptor.STATUS_OK;
    }

    /** Waits for the authenticated connection from {@code peerRank} (a lower rank). */
    synchronized SocketChannel awaitPeer(final int peerRank, final long deadlineNanos)
    {
        while (peers[peerRank] == null)
        {
            final long remaining = deadlineNanos - System.nanoTime();
            if (remaining <= 0)
            {
                throw new CollectiveTimeoutException("rank " + rank + " timed out waiting for rank " + peerRank +
                    " to connect (is it running? same JCCL_RUN_ID and token?)");
            }
            try
            {
                TimeUnit.NANOSECONDS.timedWait(this, remaining);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new dev.jccl.CollectiveException("interrupted while waiting for rank " + peerRank, ex);
            }
        }
        return peers[peerRank];
    }

    private static SocketAddress remoteAddress(final SocketChannel channel)
    {
        try
        {
            return channel.getRemoteAddress();
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    /** How many connections this listener has refused (tests watch it under hostile input). */
    long refusedConnections()
    {
        return refusals.refusals();
    }

    private static void pause()
    {
        try
        {
            Thread.sleep(10);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close()
    {
        closed = true;
        try
        {
            server.close();
        }
        catch (final IOException ignore)
        {
            // Best effort.
        }
        handshakers.shutdownNow();
        try
        {
            acceptor.join(1000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
