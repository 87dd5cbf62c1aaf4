package dev.jccl.spi;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;
import dev.jccl.kernel.ReduceKernels;
import dev.jccl.wire.MessageHeader;

import java.nio.ByteBuffer;

/**
 * The transport SPI the algorithms are written against (Gloo's "pair" idea): framed sends and
 * receives between this rank and one peer, straight from and into the caller's memory.
 *
 * <p>Operations are posted and complete later; posting never blocks. Operations to one peer in
 * one direction complete in the order posted, and the i-th send to a peer matches that peer's
 * i-th receive from us. Sends and receives progress together, so a ring that posts a send to the
 * right and a receive from the left never deadlocks, however large the message.
 *
 * <p>Every message carries a {@link MessageHeader}. A receive checks the arriving header against
 * the expected one and fails the communicator with {@link dev.jccl.CollectiveMismatchException}
 * when they disagree. Buffers must be direct; the memory must stay untouched until completion.
 */
public interface PointToPoint
{
    int rank();

    int size();

    /**
     * Posts a send of {@code src[offset, offset+length)} framed by {@code header} (copied at post time).
     *
     * @return a ticket for {@link #await}.
     */
    long postSend(int peer, MessageHeader header, ByteBuffer src, int offset, int length);

    /**
     * Posts a receive into {@code dst[offset, offset+length)}; the incoming header must match
     * {@code expected} (copied at post time) including chunk offset and length.
     *
     * @return a ticket for {@link #await}.
     */
    long postRecv(int peer, MessageHeader expected, ByteBuffer dst, int offset, int length);

    /**
     * Whether {@link #postRecvReduce} is implemented: the transport can reduce incoming bytes
     * straight out of its own memory (a shared-memory ring), which saves the algorithm copying
     * them into scratch first. False by default; algorithms then receive and reduce themselves.
     */
    default boolean reducesOnReceive()
    {
        return false;
    }

    /**
     * Posts a receive that stores {@code op(local[i], incoming[i])} into {@code dst[i]} for the
     * {@code length} bytes (whole elements of {@code type}) that arrive, instead of the incoming
     * bytes themselves. {@code local} may be {@code dst} at the same offset (in place). Matching
     * and ordering are those of {@link #postRecv}; {@code local} and {@code dst} must stay
     * untouched until completion. Only when {@link #reducesOnReceive()} is true.
     *
     * @return a ticket for {@link #await}.
     */
    default long postRecvReduce(
        final int peer, final MessageHeader expected, final ByteBuffer dst, final int dstOffset,
        final ByteBuffer local, final int localOffset, final int length,
        final ReduceKernels kernels, final DataType type, final ReduceOp op)
    {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not reduce on receive");
    }

    /** Progresses I/O until the ticket's operation is complete. */
    void await(long ticket);

    /** Progresses I/O until every posted operation is complete. */
    void awaitAll();
}
