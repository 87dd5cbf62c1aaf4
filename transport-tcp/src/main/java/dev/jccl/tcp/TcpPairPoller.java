package dev.jccl.tcp;

import dev.jccl.CollectiveException;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/**
 * Moves bytes on a {@link TcpPointToPoint}'s pairs: a non-blocking poll over the pairs with work
 * ({@link #poll}), and a park in one {@link Selector} watching every pair ({@link #select}), so a
 * peer's ABORT frame or death is seen even while the caller waits on someone else. Also owns the
 * pairs' socket set-up and closing. Used by the thread that holds the transport's I/O lock.
 */
final class TcpPairPoller
{
    /** Socket send/receive buffer bytes; 0 leaves the kernel's autotuning alone. */
    static final int SOCKET_BUFFER_BYTES = Integer.getInteger("jccl.tcp.sockBuf", 0);

    private final TcpPair[] pairs;
    private final TcpCongestion congestion;
    private final Selector selector;
    private final Consumer<SelectionKey> onSelected = this::onSelected;
    private RuntimeException selectedFailure;
    private boolean selectedProgress;

    TcpPairPoller(final TcpPair[] pairs, final TcpCongestion congestion) throws IOException
    {
        this.pairs = pairs;
        this.congestion = congestion;
        this.selector = Selector.open();
    }

    /** Makes {@code channel} non-blocking, sets its options, and watches it for {@code pair}. */
    void register(final TcpPair pair, final SocketChannel channel) throws IOException
    {
        channel.configureBlocking(false);
        configure(channel);
        congestion.apply(channel, pair.peer);
        pair.key = channel.register(selector, 0, pair);
    }

    private static void configure(final SocketChannel channel) throws IOException
    {
        // The connector sets TCP_NODELAY before connecting, but the accepted side never did: with
        // Nagle on, a small frame waits for the ACK of the previous one (delayed ACK) on one side.
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        if (SOCKET_BUFFER_BYTES > 0)
        {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER_BYTES);
            channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
        }
    }

    /**
     * Writes and reads what each pair with work can move now, and throws a pair's recorded death
     * when that pair has work that can no longer finish.
     *
     * @return whether any byte moved or an operation completed.
     */
    boolean poll()
    {
        boolean progressed = false;
        for (final TcpPair pair : pairs)
        {
            if (pair == null)
            {
                continue;
            }
            if (pair.hasPendingSends())
            {
                progressed |= pair.write();
            }
            if (pair.canProgressRecv() && pair.read())
            {
                progressed = true;
                pair.lastHeardNanos = System.nanoTime();
            }
            pair.checkUsable();
        }
        return progressed;
    }

    /**
     * Between calls ({@link LinkWatch}): writes what is queued (heartbeats) and reads what arrived
     * (heartbeats, ABORT frames, end of stream) on every pair that can take it.
     */
    void pollBetweenCalls()
    {
        for (final TcpPair pair : pairs)
        {
            if (pair == null)
            {
                continue;
            }
            if (pair.hasPendingSends())
            {
                pair.write();
            }
            if (pair.wantsRead() && pair.read())
            {
                pair.lastHeardNanos = System.nanoTime();
            }
        }
    }

    /**
     * Parks in the selector up to {@code timeoutMs}, then serves the pairs it selected.
     *
     * @return whether a selected pair moved bytes.
     * @throws CollectiveException when the selector fails or a selected pair failed (the first).
     */
    boolean select(final long timeoutMs)
    {
        for (final TcpPair pair : pairs)
        {
            if (pair == null || !pair.key.isValid())
            {
                continue;
            }
            final int interest = (pair.wantsRead() ? SelectionKey.OP_READ : 0) | (pair.hasPendingSends() ? SelectionKey.OP_WRITE : 0);
            if (interest != pair.interest)
            {
                pair.key.interestOps(interest);
                pair.interest = interest;
            }
        }
        try
        {
            selectedFailure = null;
            selectedProgress = false;
            selector.select(onSelected, timeoutMs);
        }
        catch (final IOException ex)
        {
            throw new CollectiveException("selector failed: " + ex.getMessage(), ex);
        }
        if (selectedFailure != null)
        {
            final RuntimeException ex = selectedFailure;
            selectedFailure = null;
            throw ex;
        }
        return selectedProgress;
    }

    private void onSelected(final SelectionKey key)
    {
        final TcpPair pair = (TcpPair)key.attachment();
        try
        {
            if (key.isValid() && key.isWritable())
            {
                selectedProgress |= pair.write();
            }
            if (key.isValid() && key.isReadable() && pair.wantsRead() && pair.read())
            {
                pair.lastHeardNanos = System.nanoTime();
                selectedProgress = true;
            }
        }
        catch (final RuntimeException ex)
        {
            if (selectedFailure == null)
            {
                selectedFailure = ex;
            }
        }
    }

    /** Wakes a thread parked in {@link #select} (another thread failed the transport). */
    void wakeup()
    {
        selector.wakeup();
    }

    /** Closes every pair's socket, then the selector. */
    void close()
    {
        for (final TcpPair pair : pairs)
        {
            if (pair != null)
            {
                pair.close();
            }
        }
        try
        {
            selector.close();
        }
        catch (final IOException ignore)
        {
            // Best effort on close.
        }
    }
}
