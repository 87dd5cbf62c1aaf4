package dev.jccl.launcher.agent;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Agent-to-launcher frames; thread-safe. A failed write marks the launcher as gone. */
final class FrameWriter
{
    private final DataOutputStream out;
    private volatile boolean broken;

    FrameWriter(final OutputStream out)
    {
        this.out = new DataOutputStream(new java.io.BufferedOutputStream(out, 1 << 16));
    }

    boolean broken()
    {
        return broken;
    }

    synchronized void hello()
    {
        write(() -> out.write(AgentProtocol.HELLO_MAGIC));
    }

    synchronized void started(final int rank, final long pid)
    {
        write(() ->
        {
            out.writeByte(AgentProtocol.STARTED);
            out.writeInt(rank);
            out.writeLong(pid);
        });
    }

    synchronized void output(final int rank, final boolean stderr, final byte[] line)
    {
        write(() ->
        {
            out.writeByte(stderr ? AgentProtocol.STDERR : AgentProtocol.STDOUT);
            out.writeInt(rank);
            out.writeInt(line.length);
            out.write(line);
        });
    }

    synchronized void exited(final int rank, final long pid, final int code)
    {
        write(() ->
        {
            out.writeByte(AgentProtocol.EXITED);
            out.writeInt(rank);
            out.writeLong(pid);
            out.writeInt(code);
        });
    }

    synchronized void startFailed(final int rank, final int code, final String message)
    {
        write(() ->
        {
            out.writeByte(AgentProtocol.START_FAILED);
            out.writeInt(rank);
            out.writeInt(code);
            AgentSpec.writeString(out, message);
        });
    }

    synchronized void log(final String message)
    {
        write(() ->
        {
            out.writeByte(AgentProtocol.LOG);
            AgentSpec.writeString(out, message);
        });
    }

    synchronized void done()
    {
        write(() -> out.writeByte(AgentProtocol.DONE));
    }

    private interface Io
    {
        void run() throws IOException;
    }

    private void write(final Io io)
    {
        if (broken)
        {
            return;
        }
        try
        {
            io.run();
            out.flush();
        }
        catch (final IOException e)
        {
            broken = true;
        }
    }
}
