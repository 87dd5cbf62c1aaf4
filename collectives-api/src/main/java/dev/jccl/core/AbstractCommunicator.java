package dev.jccl.core;

import dev.jccl.CommBuffer;
import dev.jccl.Communicator;
import dev.jccl.DataType;
import dev.jccl.ReduceOp;

/**
 * Maps every public overload of {@link Communicator} onto six core operations over two reusable
 * {@link BufferRef}s, so a transport implements each collective once and the array forms allocate
 * nothing. In-place forms pass the same ref twice. Not thread-safe, as communicators are not.
 */
public abstract class AbstractCommunicator implements Communicator
{
    private final BufferRef first = new BufferRef();
    private final BufferRef second = new BufferRef();
    /** Timeout of the call in progress when made through a {@link TimeoutView}, else 0. */
    private long callTimeoutNanos;

    /**
     * The deadline ({@link System#nanoTime()} clock) of the call starting now: {@code defaultTimeout}
     * unless the call came through {@link #withTimeout}.
     */
    protected final long callDeadline(final java.time.Duration defaultTimeout)
    {
        final long nanos = callTimeoutNanos != 0 ? callTimeoutNanos : defaultTimeout.toNanos();
        return System.nanoTime() + nanos;
    }

    /** Set by {@link TimeoutView} around one call; communicators are used by one thread at a time. */
    final long swapCallTimeout(final long nanos)
    {
        final long previous = callTimeoutNanos;
        callTimeoutNanos = nanos;
        return previous;
    }

    @Override
    public Communicator withTimeout(final java.time.Duration timeout)
    {
        return new TimeoutView(this, timeout);
    }

    /** {@code send == recv} for the in-place form. */
    protected abstract void doAllReduce(BufferRef send, BufferRef recv, ReduceOp op);

    protected abstract void doBroadcast(BufferRef send, BufferRef recv, int root);

    protected abstract void doAllGather(BufferRef send, BufferRef recv);

    protected abstract void doReduceScatter(BufferRef send, BufferRef recv, ReduceOp op);

    protected abstract void doReduce(BufferRef send, BufferRef recv, ReduceOp op, int root);

    protected abstract void doBarrier();

    @Override
    public final void allReduce(final CommBuffer send, final CommBuffer recv, final ReduceOp op)
    {
        doAllReduce(first.set(send), second.set(recv), op);
    }

    @Override
    public final void allReduce(final CommBuffer buffer, final ReduceOp op)
    {
        final BufferRef ref = first.set(buffer);
        doAllReduce(ref, ref, op);
    }

    @Override
    public final void broadcast(final CommBuffer buffer, final int root)
    {
        final BufferRef ref = first.set(buffer);
        doBroadcast(ref, ref, root);
    }

    @Override
    public final void broadcast(final CommBuffer send, final CommBuffer recv, final int root)
    {
        doBroadcast(first.set(send), second.set(recv), root);
    }

    @Override
    public final void allGather(final CommBuffer send, final CommBuffer recv)
    {
        doAllGather(first.set(send), second.set(recv));
    }

    @Override
    public final void allGather(final CommBuffer buffer)
    {
        final BufferRef ref = first.set(buffer);
        doAllGather(ref, ref);
    }

    @Override
    public final void reduceScatter(final CommBuffer send, final CommBuffer recv, final ReduceOp op)
    {
        doReduceScatter(first.set(send), second.set(recv), op);
    }

    @Override
    public final void reduceScatter(final CommBuffer buffer, final ReduceOp op)
    {
        final BufferRef ref = first.set(buffer);
        doReduceScatter(ref, ref, op);
    }

    @Override
    public final void reduce(final CommBuffer send, final CommBuffer recv, final ReduceOp op, final int root)
    {
        doReduce(first.set(send), second.set(recv), op, root);
    }

    @Override
    public final void reduce(final CommBuffer buffer, final ReduceOp op, final int root)
    {
        final BufferRef ref = first.set(buffer);
        doReduce(ref, ref, op, root);
    }

    @Override
    public final void barrier()
    {
        doBarrier();
    }

    @Override
    public final void allReduce(final byte[] buffer, final ReduceOp op)
    {
        final BufferRef ref = first.setArray(buffer, length(buffer), DataType.INT8);
        doAllReduce(ref, ref, op);
    }

    @Override
    public final void allReduce(final byte[] send, final byte[] recv, final ReduceOp op)
    {
        doAllReduce(first.setArray(send, length(send), DataType.INT8), second.setArray(recv, length(recv), DataType.INT8), op);
    }

    @Override
    public final void broadcast(final byte[] buffer, final int root)
    {
        final BufferRef ref = first.setArray(buffer, length(buffer), DataType.INT8);
        doBroadcast(ref, ref, root);
    }

    @Override
    public final void allGather(final byte[] send, final byte[] recv)
    {
        doAllGather(first.setArray(send, length(send), DataType.INT8), second.setArray(recv, length(recv), DataType.INT8));
    }

    @Override
    public final void reduceScatter(final byte[] send, final byte[] recv, final ReduceOp op)
    {
        doReduceScatter(first.setArray(send, length(send), DataType.INT8), second.setArray(recv, length(recv), DataType.INT8), op);
    }

    @Override
    public final void reduce(final byte[] send, final byte[] recv, final ReduceOp op, final int root)
    {
        doReduce(first.setArray(send, length(send), DataType.INT8), second.setArray(recv, length(recv), DataType.INT8), op, root);
    }

    @Override
    public final void allReduce(final int[] buffer, final ReduceOp op)
    {
        final BufferRef ref = first.setArray(buffer, length(buffer), DataType.INT32);
        doAllReduce(ref, ref, op);
    }

    @Override
    public final void allReduce(final int[] send, final int[] recv, final ReduceOp op)
    {
        doAllReduce(first.setArray(send, length(send), DataType.INT32), second.setArray(recv, length(recv), DataType.INT32), op);
    }

    @Override
    public final void broadcast(final int[] buffer, final int root)
    {
        final BufferRef ref = first.setArray(buffer, length(buffer), DataType.INT32);
        doBroadcast(ref, ref, root);
    }

    @Override
    public final void allGather(final int[] send, final int[] recv)
    {
        doAllGather(first.setArray(send, length(send), DataType.INT32), second.setArray(recv, length(recv), DataType.INT32));
    }

    @Override
    public final void reduceScatter(final int[] send, final int[] recv, final ReduceOp op)
    {
        doReduceScatter(first.setArray(send, length(send), DataType.INT32), second.setArray(recv, length(recv), DataType.INT32), op);
    }

    @Override
    public final void reduce(final int[] send, final int[] recv, final ReduceOp op, final int root)
    {
        doReduce(first.setArray(send, length(send), DataType.INT32), second.setArray(recv, length(recv), DataType.INT32), op, root);
    }

    @Override
    public final void allReduce(final long[] buffer, final ReduceOp op)
    {
        final BufferRef ref = first.setArray(buffer, length(buffer), DataType.INT64);
        doAllReduce(ref, ref, op);
    }

    @Override
    public final void allReduce(final long[] send, final long[] recv, final ReduceOp op)
    {
        doAllReduce(first.setArray(send, length(send), DataType.INT64), second.setArray(recv, length(recv), DataType.INT64), op);
    }

    @Override
    public final void broadcast(final long[] buffer, final int root)
    {
        final BufferRef ref = first.setArray(buffer, length(buffer), DataType.INT64);
        doBroadcast(ref, ref, root);
    }

    @Override
    public final void allGather(final long[] send, final long[] recv)
    {
        doAllGather(first.setArray(send, length(send), DataType.INT64), second.setArray(recv, length(recv), DataType.INT64));
    }

    @Override
    public final void reduceScatter(final long[] send, final long[] recv, final ReduceOp op)
    {
        doReduceScatter(first.setArray(send, length(send), DataType.INT64), second.setArray(recv, length(recv), DataType.INT64), op);
    }

    @Override
    public final void reduce(final long[] send, final long[] recv, final ReduceOp op, final int root)
    {
        doReduce(first.setArray(send, length(send), DataType.INT64), second.setArray(recv, length(recv), DataType.INT64), op, root);
    }

    @Override
    public final void allReduce(final float[] buffer, final ReduceOp op)
    {
        final BufferRef ref = first.setArray(buffer, length(buffer), DataType.FLOAT32);
        doAllReduce(ref, ref, op);
    }

    @Override
    public final void allReduce(final float[] send, final float[] recv, final ReduceOp op)
    {
        doAllReduce(first.setArray(send, length(send), DataType.FLOAT32), second.setArray(recv, length(recv), DataType.FLOAT32), op);
    }

    @Override
    public final void broadcast(final float[] buffer, final int root)
    {
        final BufferRef ref = first.setArray(buffer, length(buffer), DataType.FLOAT32);
        doBroadcast(ref, ref, root);
    }

    @Override
    public final void allGather(final float[] send, final float[] recv)
    {
        doAllGather(first.setArray(send, length(send), DataType.FLOAT32), second.setArray(recv, length(recv), DataType.FLOAT32));
    }

    @Override
    public final void reduceScatter(final float[] send, final float[] recv, final ReduceOp op)
    {
        doReduceScatter(first.setArray(send, length(send), DataType.FLOAT32), second.setArray(recv, length(recv), DataType.FLOAT32), op);
    }

    @Override
    public final void reduce(final float[] send, final float[] recv, final ReduceOp op, final int root)
    {
        doReduce(first.setArray(send, length(send), DataType.FLOAT32), second.setArray(recv, length(recv), DataType.FLOAT32), op, root);
    }

    @Override
    public final void allReduce(final double[] buffer, final ReduceOp op)
    {
        final BufferRef ref = first.setArray(buffer, length(buffer), DataType.FLOAT64);
        doAllReduce(ref, ref, op);
    }

    @Override
    public final void allReduce(final double[] send, final double[] recv, final ReduceOp op)
    {
        doAllReduce(first.setArray(send, length(send), DataType.FLOAT64), second.setArray(recv, length(recv), DataType.FLOAT64), op);
    }

    @Override
    public final void broadcast(final double[] buffer, final int root)
    {
        final BufferRef ref = first.setArray(buffer, length(buffer), DataType.FLOAT64);
        doBroadcast(ref, ref, root);
    }

    @Override
    public final void allGather(final double[] send, final double[] recv)
    {
        doAllGather(first.setArray(send, length(send), DataType.FLOAT64), second.setArray(recv, length(recv), DataType.FLOAT64));
    }

    @Override
    public final void reduceScatter(final double[] send, final double[] recv, final ReduceOp op)
    {
        doReduceScatter(first.setArray(send, length(send), DataType.FLOAT64), second.setArray(recv, length(recv), DataType.FLOAT64), op);
    }

    @Override
    public final void reduce(final double[] send, final double[] recv, final ReduceOp op, final int root)
    {
        doReduce(first.setArray(send, length(send), DataType.FLOAT64), second.setArray(recv, length(recv), DataType.FLOAT64), op, root);
    }

    private static int length(final byte[] array)
    {
        if (array == null)
        {
            throw new IllegalArgumentException("array is null");
        }
        return array.length;
    }

    private static int length(final int[] array)
    {
        if (array == null)
        {
            throw new IllegalArgumentException("array is null");
        }
        return array.length;
    }

    private static int length(final long[] array)
    {
        if (array == null)
        {
            throw new IllegalArgumentException("array is null");
        }
        return array.length;
    }

    private static int length(final float[] array)
    {
        if (array == null)
        {
            throw new IllegalArgumentException("array is null");
        }
        return array.length;
    }

    private static int length(final double[] array)
    {
        if (array == null)
        {
            throw new IllegalArgumentException("array is null");
        }
        return array.length;
    }
}
