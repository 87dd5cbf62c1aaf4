package dev.jccl;

import java.util.concurrent.CompletableFuture;

/**
 * A group of ranks that run collectives together (MPI's communicator, NCCL's ncclComm).
 *
 * <p>Rules, as in MPI and NCCL: every rank issues the same collectives in the same order with
 * matching arguments (count, type, op, root); a disagreement raises
 * {@link CollectiveMismatchException} on every rank rather than corrupting data. One thread at a
 * time calls a communicator. Bad arguments throw {@link IllegalArgumentException} before any I/O.
 * After any other failure the communicator is broken: later calls throw at once, and
 * {@link #close()} still returns.
 *
 * <p>Array forms reduce the whole array, as if wrapped by {@link CommBuffer#of}: {@code byte[]} is
 * INT8, {@code int[]} INT32, {@code long[]} INT64; other types and ranges use {@link CommBuffer}.
 *
 * <p><b>Async calls</b> ({@code allReduceAsync} and friends) take the same buffers and arguments
 * as their blocking forms. Arguments are checked at the call ({@link IllegalArgumentException});
 * the collective then runs on the communicator's own progress thread, started on first use, and
 * the returned futures complete in issue order. Calls stay ordered as issued: a blocking call
 * issued after async ones waits until they are done. Until its future completes, the caller must
 * neither read nor write a call's buffers: a call that would write memory an unfinished call uses,
 * or read memory one writes, throws {@link IllegalStateException} when JCCL sees it (same array or
 * buffer object, overlapping range). A failure completes the future exceptionally with the
 * exception the blocking call would throw ({@link PeerFailureException},
 * {@link CollectiveTimeoutException}, ...); after it, later futures fail at once. {@link #close()}
 * and {@link #abort()} fail pending futures with {@link CommunicatorAbortedException}. Futures
 * complete on the progress thread: dependent actions that call this communicator must use the
 * {@code ...Async} forms of {@link CompletableFuture} (a call from the progress thread throws
 * {@link IllegalStateException}).
 */
public interface Communicator extends AutoCloseable
{
    /** The color that leaves a rank out of {@link #split}: it gets null back, as MPI_UNDEFINED. */
    int UNDEFINED = -1;

    /** This rank, 0 to size-1. */
    int rank();

    /** Number of ranks. */
    int size();

    /** Communicator id carried in every message header. */
    long id();

    /** Name of the transport moving the data ("tcp", "nccl", ...). */
    String transportName();

    /** Reduces {@code send} of every rank with {@code op} into {@code recv} of every rank. */
    void allReduce(CommBuffer send, CommBuffer recv, ReduceOp op);

    /** In-place allreduce. */
    void allReduce(CommBuffer buffer, ReduceOp op);

    /** Copies {@code root}'s buffer to every rank's buffer. */
    void broadcast(CommBuffer buffer, int root);

    /** Out-of-place broadcast: root's {@code send} to every rank's {@code recv}. */
    void broadcast(CommBuffer send, CommBuffer recv, int root);

    /** Rank r's {@code send} lands at block r of every rank's {@code recv} (count = size x send count). */
    void allGather(CommBuffer send, CommBuffer recv);

    /** In-place allgather: this rank's block r of {@code buffer} already holds its contribution. */
    void allGather(CommBuffer buffer);

    /** Block r of the element-wise reduction of every {@code send} lands in rank r's {@code recv}. */
    void reduceScatter(CommBuffer send, CommBuffer recv, ReduceOp op);

    /** In-place reduce-scatter: the result lands at block {@code rank} of {@code buffer}. */
    void reduceScatter(CommBuffer buffer, ReduceOp op);

    /** Reduces every rank's {@code send} into {@code recv} on {@code root}; other ranks' recv is untouched. */
    void reduce(CommBuffer send, CommBuffer recv, ReduceOp op, int root);

    /** In-place reduce: the result replaces {@code buffer} on {@code root}. */
    void reduce(CommBuffer buffer, ReduceOp op, int root);

    /** Returns once every rank has entered the barrier. */
    void barrier();

    void allReduce(byte[] buffer, ReduceOp op);

    void allReduce(byte[] send, byte[] recv, ReduceOp op);

    void broadcast(byte[] buffer, int root);

    void allGather(byte[] send, byte[] recv);

    void reduceScatter(byte[] send, byte[] recv, ReduceOp op);

    void reduce(byte[] send, byte[] recv, ReduceOp op, int root);

    void allReduce(int[] buffer, ReduceOp op);

    void allReduce(int[] send, int[] recv, ReduceOp op);

    void broadcast(int[] buffer, int root);

    void allGather(int[] send, int[] recv);

    void reduceScatter(int[] send, int[] recv, ReduceOp op);

    void reduce(int[] send, int[] recv, ReduceOp op, int root);

    void allReduce(long[] buffer, ReduceOp op);

    void allReduce(long[] send, long[] recv, ReduceOp op);

    void broadcast(long[] buffer, int root);

    void allGather(long[] send, long[] recv);

    void reduceScatter(long[] send, long[] recv, ReduceOp op);

    void reduce(long[] send, long[] recv, ReduceOp op, int root);

    void allReduce(float[] buffer, ReduceOp op);

    void allReduce(float[] send, float[] recv, ReduceOp op);

    void broadcast(float[] buffer, int root);

    void allGather(float[] send, float[] recv);

    void reduceScatter(float[] send, float[] recv, ReduceOp op);

    void reduce(float[] send, float[] recv, ReduceOp op, int root);

    void allReduce(double[] buffer, ReduceOp op);

    void allReduce(double[] send, double[] recv, ReduceOp op);

    void broadcast(double[] buffer, int root);

    void allGather(double[] send, double[] recv);

    void reduceScatter(double[] send, double[] recv, ReduceOp op);

    void reduce(double[] send, double[] recv, ReduceOp op, int root);

    /**
     * This communicator with {@code timeout} instead of its default (JCCL_TIMEOUT) bounding each
     * call made through the returned view: the same ranks, sequence and state, so a view and the
     * communicator may be used interchangeably (one thread at a time), and its {@link #abort()} and
     * {@link #close()} act on the communicator. A call that overruns throws
     * {@link CollectiveTimeoutException} and breaks the communicator, as any timeout does.
     *
     * @throws IllegalArgumentException when {@code timeout} is null, zero or negative.
     */
    Communicator withTimeout(java.time.Duration timeout);

    /**
     * Splits this communicator as MPI_Comm_split: a collective call on every rank of this one.
     * Ranks passing the same {@code color} form a new communicator, ranked by {@code key} and then
     * by rank here. A negative color ({@link #UNDEFINED}) takes part in the call and returns null.
     *
     * <p>The new communicator has its own id (carried in every message header), its own sequence
     * numbers and its own connections, so it may run collectives on another thread while this one
     * is in use. Close it before this one.
     */
    Communicator split(int color, int key);

    /** Async {@link #allReduce(CommBuffer, CommBuffer, ReduceOp)}; see the class comment for the rules. */
    CompletableFuture<Void> allReduceAsync(CommBuffer send, CommBuffer recv, ReduceOp op);

    /** Async in-place allreduce. */
    CompletableFuture<Void> allReduceAsync(CommBuffer buffer, ReduceOp op);

    /** Async {@link #broadcast(CommBuffer, int)}. */
    CompletableFuture<Void> broadcastAsync(CommBuffer buffer, int root);

    /** Async {@link #broadcast(CommBuffer, CommBuffer, int)}. */
    CompletableFuture<Void> broadcastAsync(CommBuffer send, CommBuffer recv, int root);

    /** Async {@link #allGather(CommBuffer, CommBuffer)}. */
    CompletableFuture<Void> allGatherAsync(CommBuffer send, CommBuffer recv);

    /** Async in-place allgather. */
    CompletableFuture<Void> allGatherAsync(CommBuffer buffer);

    /** Async {@link #reduceScatter(CommBuffer, CommBuffer, ReduceOp)}. */
    CompletableFuture<Void> reduceScatterAsync(CommBuffer send, CommBuffer recv, ReduceOp op);

    /** Async in-place reduce-scatter. */
    CompletableFuture<Void> reduceScatterAsync(CommBuffer buffer, ReduceOp op);

    default CompletableFuture<Void> allReduceAsync(final byte[] buffer, final ReduceOp op)
    {
        return allReduceAsync(CommBuffer.of(array(buffer)), op);
    }

    default CompletableFuture<Void> allReduceAsync(final byte[] send, final byte[] recv, final ReduceOp op)
    {
        return allReduceAsync(CommBuffer.of(array(send)), CommBuffer.of(array(recv)), op);
    }

    default CompletableFuture<Void> broadcastAsync(final byte[] buffer, final int root)
    {
        return broadcastAsync(CommBuffer.of(array(buffer)), root);
    }

    default CompletableFuture<Void> allGatherAsync(final byte[] send, final byte[] recv)
    {
        return allGatherAsync(CommBuffer.of(array(send)), CommBuffer.of(array(recv)));
    }

    default CompletableFuture<Void> reduceScatterAsync(final byte[] send, final byte[] recv, final ReduceOp op)
    {
        return reduceScatterAsync(CommBuffer.of(array(send)), CommBuffer.of(array(recv)), op);
    }

    default CompletableFuture<Void> allReduceAsync(final int[] buffer, final ReduceOp op)
    {
        return allReduceAsync(CommBuffer.of(array(buffer)), op);
    }

    default CompletableFuture<Void> allReduceAsync(final int[] send, final int[] recv, final ReduceOp op)
    {
        return allReduceAsync(CommBuffer.of(array(send)), CommBuffer.of(array(recv)), op);
    }

    default CompletableFuture<Void> broadcastAsync(final int[] buffer, final int root)
    {
        return broadcastAsync(CommBuffer.of(array(buffer)), root);
    }

    default CompletableFuture<Void> allGatherAsync(final int[] send, final int[] recv)
    {
        return allGatherAsync(CommBuffer.of(array(send)), CommBuffer.of(array(recv)));
    }

    default CompletableFuture<Void> reduceScatterAsync(final int[] send, final int[] recv, final ReduceOp op)
    {
        return reduceScatterAsync(CommBuffer.of(array(send)), CommBuffer.of(array(recv)), op);
    }

    default CompletableFuture<Void> allReduceAsync(final long[] buffer, final ReduceOp op)
    {
        return allReduceAsync(CommBuffer.of(array(buffer)), op);
    }

    default CompletableFuture<Void> allReduceAsync(final long[] send, final long[] recv, final ReduceOp op)
    {
        return allReduceAsync(CommBuffer.of(array(send)), CommBuffer.of(array(recv)), op);
    }

    default CompletableFuture<Void> broadcastAsync(final long[] buffer, final int root)
    {
        return broadcastAsync(CommBuffer.of(array(buffer)), root);
    }

    default CompletableFuture<Void> allGatherAsync(final long[] send, final long[] recv)
    {
        return allGatherAsync(CommBuffer.of(array(send)), CommBuffer.of(array(recv)));
    }

    default CompletableFuture<Void> reduceScatterAsync(final long[] send, final long[] recv, final ReduceOp op)
    {
        return reduceScatterAsync(CommBuffer.of(array(send)), CommBuffer.of(array(recv)), op);
    }

    default CompletableFuture<Void> allReduceAsync(final float[] buffer, final ReduceOp op)
    {
        return allReduceAsync(CommBuffer.of(array(buffer)), op);
    }

    default CompletableFuture<Void> allReduceAsync(final float[] send, final float[] recv, final ReduceOp op)
    {
        return allReduceAsync(CommBuffer.of(array(send)), CommBuffer.of(array(recv)), op);
    }

    default CompletableFuture<Void> broadcastAsync(final float[] buffer, final int root)
    {
        return broadcastAsync(CommBuffer.of(array(buffer)), root);
    }

    default CompletableFuture<Void> allGatherAsync(final float[] send, final float[] recv)
    {
        return allGatherAsync(CommBuffer.of(array(send)), CommBuffer.of(array(recv)));
    }

    default CompletableFuture<Void> reduceScatterAsync(final float[] send, final float[] recv, final ReduceOp op)
    {
        return reduceScatterAsync(CommBuffer.of(array(send)), CommBuffer.of(array(recv)), op);
    }

    default CompletableFuture<Void> allReduceAsync(final double[] buffer, final ReduceOp op)
    {
        return allReduceAsync(CommBuffer.of(array(buffer)), op);
    }

    default CompletableFuture<Void> allReduceAsync(final double[] send, final double[] recv, final ReduceOp op)
    {
        return allReduceAsync(CommBuffer.of(array(send)), CommBuffer.of(array(recv)), op);
    }

    default CompletableFuture<Void> broadcastAsync(final double[] buffer, final int root)
    {
        return broadcastAsync(CommBuffer.of(array(buffer)), root);
    }

    default CompletableFuture<Void> allGatherAsync(final double[] send, final double[] recv)
    {
        return allGatherAsync(CommBuffer.of(array(send)), CommBuffer.of(array(recv)));
    }

    default CompletableFuture<Void> reduceScatterAsync(final double[] send, final double[] recv, final ReduceOp op)
    {
        return reduceScatterAsync(CommBuffer.of(array(send)), CommBuffer.of(array(recv)), op);
    }

    /**
     * Fails every pending and later call on this communicator with a {@link CollectiveException}
     * and tells the peers. Safe from any thread.
     */
    void abort();

    /** Releases sockets and memory; always returns, also after a failure. */
    @Override
    void close();

    private static byte[] array(final byte[] array)
    {
        if (array == null)
        {
            throw new IllegalArgumentException("array is null");
        }
        return array;
    }

    private static int[] array(final int[] array)
    {
        if (array == null)
        {
            throw new IllegalArgumentException("array is null");
        }
        return array;
    }

    private static long[] array(final long[] array)
    {
        if (array == null)
        {
            throw new IllegalArgumentException("array is null");
        }
        return array;
    }

    private static float[] array(final float[] array)
    {
        if (array == null)
        {
            throw new IllegalArgumentException("array is null");
        }
        return array;
    }

    private static double[] array(final double[] array)
    {
        if (array == null)
        {
            throw new IllegalArgumentException("array is null");
        }
        return array;
    }
}
