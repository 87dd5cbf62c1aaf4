package dev.jccl.tcp;

import java.util.concurrent.locks.LockSupport;

/**
 * The heartbeat thread of one {@link TcpPointToPoint}: between calls nobody drives the sockets, so
 * this daemon wakes every heartbeat interval and, when no call holds them, lets the transport send
 * heartbeats and read what arrived. That keeps a rank that is busy computing audible to peers
 * already waiting in the next call, and notices deaths and ABORT frames while the rank is idle,
 * so its next call throws at once. It never touches the sockets while a call runs.
 */
final class LinkWatch implements Runnable
{
    private static final long STOP_WAIT_MS = 1_000;

    private final TcpPointToPoint transport;
    private final long intervalNanos;
    private final Thread thread;
    private volatile boolean running = true;

    private LinkWatch(final TcpPointToPoint transport, final long intervalNanos)
    {
        this.transport = transport;
        this.intervalNanos = intervalNanos;
        this.thread = new Thread(this, "jccl-linkwatch-rank" + transport.rank());
        this.thread.setDaemon(true);
    }

    static LinkWatch start(final TcpPointToPoint transport, final long intervalNanos)
    {
        final LinkWatch watch = new LinkWatch(transport, intervalNanos);
        watch.thread.start();
        return watch;
    }

    @Override
    public void run()
    {
        while (running)
        {
            LockSupport.parkNanos(this, intervalNanos);
            if (running)
            {
                transport.idleTick();
            }
        }
    }

    /** Stops the thread and waits for it (bounded: a tick never blocks on I/O). */
    void stop()
    {
        running = false;
        LockSupport.unpark(thread);
        if (thread != Thread.currentThread())
        {
            try
            {
                thread.join(STOP_WAIT_MS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }
}
