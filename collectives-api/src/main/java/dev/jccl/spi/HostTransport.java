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

    /**
     * Whether the operation behind {@code ticket} (one of this transport's) has completed. No I/O:
     * a transport that waits on several transports at once ({@link dev.jccl.route.RoutedTransport})
     * drives them with {@link #progress} and asks here.
     */
    boolean isComplete(long ticket);

    /** Whether any posted send or receive has not completed yet. No I/O. */
    boolean hasPending();

    /**
     * One non-blocking pass of I/O over every peer with work; returns whether bytes moved.
     *
     * @throws CollectiveException when the transport breaks (it is failed first, as in {@link #await}).
     */
    boolean progress();

    /**
     * The checks a blocking wait makes while idle, for a caller that waits on its own: sends the
     * heartbeats that are due, fails on a silent or dead peer and on the collective deadline.
     * Cheap when nothing is due; never blocks.
     *
     * @throws CollectiveException when a check fails (the transport is failed first).
     */
    void checkLiveness(long nowNanos);

    /** Host name rank {@code rank} published at rendezvous. */
    String peerHost(int rank);

    /** Closes every connection; always returns, bounded in time. */
    @Override
    void close();
}
