package dev.jccl.tcp;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;

/**
 * A socket's input with one deadline for all its reads together, not a timeout per read: a
 * client that sends one byte every few seconds (slow loris) still runs out of time, because each
 * read may only wait for what is left of the whole budget.
 */
final class DeadlineInputStream extends InputStream
{
    private final Socket socket;
    private final InputStream in;
    private final long deadlineNanos;

    DeadlineInputStream(final Socket socket, final long deadlineNanos) throws IOException
    {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.deadlineNanos = deadlineNanos;
    }

    @Override
    public int read() throws IOException
    {
        armTimeout();
        return in.read();
    }

    @Override
    public int read(final byte[] bytes, final int offset, final int length) throws IOException
    {
        armTimeout();
        return in.read(bytes, offset, length);
    }

    private void armTimeout() throws IOException
    {
        final long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        if (remainingMs <= 0)
        {
            throw new SocketTimeoutException("deadline passed");
        }
        socket.setSoTimeout((int)Math.min(Integer.MAX_VALUE, remainingMs));
    }
}
