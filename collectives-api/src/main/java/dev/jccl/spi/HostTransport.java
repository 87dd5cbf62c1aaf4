package dev.jccl.spi;

import dev.jccl.CollectiveException;
import dev.jccl.wire.MessageHeader;

/**
 * A point-to-point transport between host-memory ranks (TCP, shared memory) as the communicator
 * drives it: one collective at a time, each with a deadline, and a shared failure state.
 */
public interface HostTransport extends PointToPoint, AutoCloseable
{
    /** Transport name for logs and {@link dev.jccl.Communicator#transportName()}. */
    String name();

    /**
     * Marks the start of a collective: waits inside it end at {@code deadlineNanos}
     * ({@link System#nanoTime()} clock), and timeouts and failures describe {@code header}'s call.
     *
     * @throws CollectiveException at once when the transport is already broken.
     */
    void beginCollective(MessageHeader header, long deadlineNanos);

    /** Ends the collective begun last. */
    void endCollective();

    /** The failure that broke this transport, or null while healthy. */
    CollectiveException failure();

    /**
     * Breaks the transport with {@code cause} (first cause wins), wakes every waiting thread and
     * tells every peer, which then fail with the same kind of exception.
     */
    void fail(CollectiveException cause);

    /** Host name rank {@code rank} published at rendezvous. */
    String peerHost(int rank);

    /** Closes every connection; always returns, bounded in time. */
    @Override
    void close();
}
