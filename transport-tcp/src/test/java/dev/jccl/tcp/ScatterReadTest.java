package dev.jccl.tcp;

import dev.jccl.CollectiveException;
import dev.jccl.DataType;
import dev.jccl.ReduceOp;
import dev.jccl.wire.AbortReason;
import dev.jccl.wire.CollectiveKind;
import dev.jccl.wire.MessageHeader;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static dev.jccl.wire.MessageHeaderDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A small receive reads its header and payload in one scattering read straight into the caller's
 * buffer; these tests put HEARTBEAT and ABORT frames in front of data, so the bytes behind them land
 * in the caller's buffer first and must come back out in order. Rank 0 is the real transport; rank
 * 1 is a raw socket writing hand-made frames, all in one write so they arrive together.
 */
class ScatterReadTest
{
    private static final long COMM = 7;

    @Test
    void dataBehindAHeartbeatLandsWholeAndInOrder() throws Exception
    {
        final int first = 1000;
        final int second = TcpPair.SCATTER_MAX_BYTES;  // the largest payload still read with its header
        final ByteBuffer frames = ByteBuffer.allocate(6 * HEADER_LENGTH + first + second).order(ByteOrder.LITTLE_ENDIAN);
        heartbeat(frames);
        data(frames, 0, first, (byte)1);
        heartbeat(frames);
        heartbeat(frames);
        data(frames, first, second, (byte)2);
        heartbeat(frames);
        frames.flip();

        try (Link link = new Link())
        {
            link.peer.write(frames);
            final ByteBuffer dst = ByteBuffer.allocateDirect(first + second + 16);
            link.transport.beginCollective(expected(0, 0), deadline());
            final long a = link.transport.postRecv(1, expected(0, first), dst, 8, first);
            final long b = link.transport.postRecv(1, expected(first, second), dst, 8 + first, second);
            link.transport.await(a);
            link.transport.await(b);
            link.transport.endCollective();
            for (int i = 0; i < first + second; i++)
            {
                assertEquals(pattern(i < first ? 1 : 2, i < first ? i : i - first), dst.get(8 + i), "byte " + i);
            }
            assertEquals(0, dst.get(7), "nothing before the receive's range");
            assertEquals(0, dst.get(8 + first + second), "nothing after it");
        }
    }

    @Test
    void anAbortBehindAHeartbeatIsReadWithItsReason() throws Exception
    {
        final byte[] reason = "rank 1 gave up: disk on fire".getBytes(StandardCharsets.UTF_8);
        final ByteBuffer frames = ByteBuffer.allocate(2 * HEADER_LENGTH + reason.length).order(ByteOrder.LITTLE_ENDIAN);
        heartbeat(frames);
        final int at = frames.position();
        frames.putInt(at + FRAME_TYPE_OFFSET, FRAME_ABORT);
        frames.put(at + KIND_OFFSET, (byte)AbortReason.of(new CollectiveException("x")).id());
        frames.putInt(at + ROOT_OFFSET, -1);
        frames.putInt(at + LENGTH_OFFSET, reason.length);
        frames.putLong(at + COMMUNICATOR_OFFSET, COMM);
        frames.putLong(at + SEQUENCE_OFFSET, 1);
        frames.position(at + HEADER_LENGTH);
        frames.put(reason);
        frames.flip();

        try (Link link = new Link())
        {
            link.peer.write(frames);
            final ByteBuffer dst = ByteBuffer.allocateDirect(4096);
            link.transport.beginCollective(expected(0, 0), deadline());
            final long ticket = link.transport.postRecv(1, expected(0, 4096), dst, 0, 4096);
            final CollectiveException ex = assertThrows(CollectiveException.class, () -> link.transport.await(ticket));
            assertTrue(String.valueOf(ex.getMessage()).contains("disk on fire"), ex.toString());
            link.transport.endCollective();
        }
    }

    private static long deadline()
    {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    }

    private static MessageHeader expected(final long chunkOffset, final int length)
    {
        return new MessageHeader().collective(COMM, 1, CollectiveKind.ALL_REDUCE, DataType.UINT8, ReduceOp.SUM, -1, 1L << 20)
            .chunk(chunkOffset, length);
    }

    /** A heartbeat of call 0 (before any call): it never reads as a mismatch. */
    private static void heartbeat(final ByteBuffer frames)
    {
        final int at = frames.position();
        new MessageHeader().collective(COMM, 0, CollectiveKind.BARRIER, null, null, -1, 0).chunk(0, 0)
            .encode(new UnsafeBuffer(frames), at);
        frames.putInt(at + FRAME_TYPE_OFFSET, FRAME_HEARTBEAT);
        frames.position(at + HEADER_LENGTH);
    }

    private static void data(final ByteBuffer frames, final long chunkOffset, final int length, final byte seed)
    {
        final int at = frames.position();
        expected(chunkOffset, length).encode(new UnsafeBuffer(frames), at);
        frames.position(at + HEADER_LENGTH);
        for (int i = 0; i < length; i++)
        {
            frames.put(pattern(seed, i));
        }
    }

    private static byte pattern(final int seed, final int i)
    {
        return (byte)(seed * 31 + i * 7 + (i >>> 8));
    }

    /** Rank 0's real transport over one loopback connection; the other end is a raw channel. */
    private static final class Link implements AutoCloseable
    {
        final SocketChannel peer;
        final TcpPointToPoint transport;

        Link() throws IOException
        {
            try (ServerSocketChannel server = ServerSocketChannel.open())
            {
                server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                peer = SocketChannel.open(server.getLocalAddress());
                final SocketChannel mine = server.accept();
                transport = new TcpPointToPoint(0, 2, "self", new String[] { "self", "peer" },
                    new SocketChannel[] { null, mine }, null, Duration.ofSeconds(20));
            }
        }

        @Override
        public void close() throws IOException
        {
            transport.close();
            peer.close();
        }
    }
}
