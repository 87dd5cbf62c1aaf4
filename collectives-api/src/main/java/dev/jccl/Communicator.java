package dev.jccl;

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
 */
public interface Communicator extends AutoCloseable
{
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
     * Fails every pending and later call on this communicator with a {@link CollectiveException}
     * and tells the peers. Safe from any thread.
     */
    void abort();

    /** Releases sockets and memory; always returns, also after a failure. */
    @Override
    void close();
}
