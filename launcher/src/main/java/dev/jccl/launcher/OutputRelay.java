package dev.jccl.launcher;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes ranks' output lines to jcclrun's stdout and stderr, one whole line at a time under one
 * lock, so lines never interleave mid-line. With {@code --tag-output} each line starts with
 * {@code [1,RANK]<stdout>:} or {@code [1,RANK]<stderr>:}, as mpirun prints it.
 */
public final class OutputRelay
{
    private final OutputStream out;
    private final OutputStream err;
    private final boolean tag;

    public OutputRelay(final OutputStream out, final OutputStream err, final boolean tag)
    {
        this.out = out;
        this.err = err;
        this.tag = tag;
    }

    public synchronized void line(final int rank, final boolean stderr, final byte[] line)
    {
        final OutputStream to = stderr ? err : out;
        try
        {
            if (tag)
            {
                to.write(("[1," + rank + "]<" + (stderr ? "stderr" : "stdout") + ">:").getBytes(StandardCharsets.US_ASCII));
            }
            to.write(line);
            to.write('\n');
            to.flush();
        }
        catch (final IOException ignored)
        {
            // our own stdout is gone (closed pipe): nothing useful to do with the line
        }
    }

    /** A {@code jcclrun: ...} message on stderr. */
    public synchronized void message(final String text)
    {
        try
        {
            out.flush();
            err.write(("jcclrun: " + text + "\n").getBytes(StandardCharsets.UTF_8));
            err.flush();
        }
        catch (final IOException ignored)
        {
            // stderr is gone
        }
    }
}
