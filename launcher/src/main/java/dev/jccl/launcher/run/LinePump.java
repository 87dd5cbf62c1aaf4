package dev.jccl.launcher.run;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a stream and hands it on a whole line at a time, so lines from different ranks never mix
 * mid-line. A line longer than {@link #MAX_LINE} is handed on in pieces of that size.
 */
public final class LinePump
{
    public static final int MAX_LINE = 1 << 20;

    public interface LineSink
    {
        void line(byte[] line);
    }

    private LinePump()
    {
    }

    public static Thread start(final String name, final InputStream in, final LineSink sink)
    {
        final Thread t = new Thread(() -> pump(in, sink), name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    public static void pump(final InputStream in, final LineSink sink)
    {
        final byte[] buf = new byte[8192];
        final ByteArrayOutputStream line = new ByteArrayOutputStream();
        try (in)
        {
            int n;
            while ((n = in.read(buf)) > 0)
            {
                int from = 0;
                for (int i = 0; i < n; i++)
                {
                    if (buf[i] == '\n')
                    {
                        line.write(buf, from, i - from);
                        sink.line(line.toByteArray());
                        line.reset();
                        from = i + 1;
                    }
                    else if (line.size() + (i - from) >= MAX_LINE)
                    {
                        line.write(buf, from, i - from);
                        sink.line(line.toByteArray());
                        line.reset();
                        from = i;
                    }
                }
                line.write(buf, from, n - from);
            }
        }
        catch (final IOException ignored)
        {
            // the process is gone or the pipe was closed: hand on what we have
        }
        if (line.size() > 0)
        {
            sink.line(line.toByteArray());
        }
    }
}
