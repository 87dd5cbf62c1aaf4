package dev.jccl.tcp;

import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;

import static dev.jccl.wire.MessageHeaderDescriptor.FRAME_DATA;
import static dev.jccl.wire.MessageHeaderDescriptor.FRAME_TYPE_OFFSET;
import static dev.jccl.wire.MessageHeaderDescriptor.HEADER_LENGTH;

/**
 * The receive byte stream of a {@link TcpPair}: the header being read, and the bytes read ahead of
 * it. A small posted receive is read together with its header in one scattering read, the
 * payload straight into the caller's buffer; when that header turns out to be a HEARTBEAT or
 * ABORT, the bytes that landed in the caller's buffer belong to the frames behind it and move to
 * the spill, which every read drains before the socket.
 */
final class TcpFrameInput
{
    /** The frame header being read (little-endian, {@code HEADER_LENGTH} bytes). */
    final ByteBuffer header = ByteBuffer.allocateDirect(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
    final UnsafeBuffer headerBuffer = new UnsafeBuffer(header);
    private final SocketChannel channel;
    /** Header + payload for the scattering read; [1] is the posted receive's buffer while reading. */
    private final ByteBuffer[] headerAndPayload = new ByteBuffer[2];
    /** Stream bytes read ahead into a caller's buffer behind a HEARTBEAT or ABORT header; drained before the socket. */
    private final ByteBuffer spill = ByteBuffer.allocateDirect(TcpPair.SCATTER_MAX_BYTES).flip();

    TcpFrameInput(final SocketChannel channel)
    {
        this.channel = channel;
        headerAndPayload[0] = header;
    }

    /** Whether bytes read ahead wait to be consumed before the socket. */
    boolean hasSpill()
    {
        return spill.hasRemaining();
    }

    /** Spilled bytes first, else the socket: channel-read semantics (-1 at end of stream only when nothing is spilled). */
    int fill(final ByteBuffer dst) throws IOException
    {
        if (!spill.hasRemaining())
        {
            return channel.read(dst);
        }
        final int n = Math.min(spill.remaining(), dst.remaining());
        final int limit = spill.limit();
        spill.limit(spill.position() + n);
        dst.put(spill);
        spill.limit(limit);
        return n;
    }

    /**
     * Reads the rest of a header, with the posted receive's payload ({@code target}, null when none
     * is posted) in the same scattering read when it is small and nothing is spilled; a payload
     * that landed behind a non-DATA header is spilled.
     */
    int readHeader(final ByteBuffer target) throws IOException
    {
        if (target == null || spill.hasRemaining() || target.remaining() > TcpPair.SCATTER_MAX_BYTES)
        {
            return fill(header);
        }
        // While a header is read no byte of this receive's payload has been: the view is at its start.
        final int start = target.position();
        final int end = target.limit();
        headerAndPayload[1] = target;
        final long n;
        try
        {
            n = channel.read(headerAndPayload, 0, 2);
        }
        finally
        {
            headerAndPayload[1] = null;
        }
        if (!header.hasRemaining() && target.position() > start &&
            headerBuffer.getInt(FRAME_TYPE_OFFSET, ByteOrder.LITTLE_ENDIAN) != FRAME_DATA)
        {
            // Not this receive's header: what followed it is the next frames' bytes; keep them in order.
            spill.clear();
            target.limit(target.position()).position(start);
            spill.put(target);
            spill.flip();
            target.limit(end).position(start);
        }
        return (int)n;
    }
}
