package dev.jccl.tcp;

import java.nio.ByteBuffer;

/**
 * A tiny per-slot cache of {@link ByteBuffer#duplicate()} views. Transports need their own
 * position and limit over the caller's buffer (several operations may use one buffer at once),
 * and algorithms reuse the same few buffers every call, so a two-entry cache per queue slot makes
 * the steady state allocation-free.
 */
final class BufferViews
{
    private ByteBuffer sourceA;
    private ByteBuffer viewA;
    private ByteBuffer sourceB;
    private ByteBuffer viewB;
    private boolean nextIsA = true;

    /** A view over {@code source[offset, offset+length)}, positioned at offset. */
    ByteBuffer view(final ByteBuffer source, final int offset, final int length)
    {
        final ByteBuffer view;
        if (source == sourceA)
        {
            view = viewA;
        }
        else if (source == sourceB)
        {
            view = viewB;
        }
        else if (nextIsA)
        {
            sourceA = source;
            viewA = source.duplicate();
            view = viewA;
            nextIsA = false;
        }
        else
        {
            sourceB = source;
            viewB = source.duplicate();
            view = viewB;
            nextIsA = true;
        }
        view.limit(offset + length).position(offset);
        return view;
    }

    void clear()
    {
        sourceA = null;
        viewA = null;
        sourceB = null;
        viewB = null;
    }
}
