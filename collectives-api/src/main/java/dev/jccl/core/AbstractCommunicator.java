package dev.jccl.core;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;

/**
 * What communicators extend: {@link OrderedCommunicator}'s core plus every typed-array overload of
 * {@link dev.jccl.Communicator} (byte, int, long, float and double arrays as INT8, INT32, INT64,
 * FLOAT32 and FLOAT64), each mapped onto the same core operations through the reusable
 * {@link BufferRef}s, so the array forms allocate nothing either.
 */
public abstract class AbstractCommunicator extends OrderedCommunicator
{
    @Override
    public final void allReduce(final byte[] buffer, final ReduceOp op)
    {
        final BufferRef ref = first.setArray(buffer, length(buffer), DataType.INT8);
        inOrderAllReduce(ref, ref, op);
    }

    @Override
    public final void allReduce(final byte[] send, final byte[] recv, final ReduceOp op)
    {
        inOrderAllReduce(first.setArray(send, length(send), DataType.INT8), second.setArray(recv, length(recv), DataType.INT8), op);
    }

    @Override
    public final void broadcast(final byte[] buffer, final int root)
    {
        final BufferRef ref = first.setArray(buffer, length(buffer), DataType.INT8);
        inOrderBroadcast(ref, ref, root);
    }

    @Override
    public final void allGather(final byte[] send, final byte[] recv)
    {
        inOrderAllGather(first.setArray(send, length(send), DataType.INT8), second.setArray(recv, length(recv), DataType.INT8));
    }

    @Override
    public final void reduceScatter(final byte[] send, final byte[] recv, final ReduceOp op)
    {
        inOrderReduceScatter(first.setArray(send, length(send), DataType.INT8), second.setArray(recv, length(recv), DataType.INT8), op);
    }

    @Override
    public final void reduce(final byte[] send, final byte[] recv, final ReduceOp op, final int root)
    {
        inOrderReduce(first.setArray(send, length(send), DataType.INT8), second.setArray(recv, length(recv), DataType.INT8), op, root);
    }

    @Override
    public final void allReduce(final int[] buffer, final ReduceOp op)
    {
        final BufferRef ref = first.setArray(buffer, length(buffer), DataType.INT32);
        inOrderAllReduce(ref, ref, op);
    }

    @Override
    public final void allReduce(final int[] send, final int[] recv, final ReduceOp op)
    {
        inOrderAllReduce(first.setArray(send, length(send), DataType.INT32), second.setArray(recv, length(recv), DataType.INT32), op);
    }

    @Override
    public final void broadcast(final int[] buffer, final int root)
    {
        final BufferRef ref = first.setArray(buffer, length(buffer), DataType.INT32);
        inOrderBroadcast(ref, ref, root);
    }

    @Override
    public final void allGather(final int[] send, final int[] recv)
    {
        inOrderAllGather(first.setArray(send, length(send), DataType.INT32), second.setArray(recv, length(recv), DataType.INT32));
    }

    @Override
    public final void reduceScatter(final int[] send, final int[] recv, final ReduceOp op)
    {
        inOrderReduceScatter(first.setArray(send, length(send), DataType.INT32), second.setArray(recv, length(recv), DataType.INT32), op);
    }

    @Override
    public final void reduce(final int[] send, final int[] recv, final ReduceOp op, final int root)
    {
        inOrderReduce(first.setArray(send, length(send), DataType.INT32), second.setArray(recv, length(recv), DataType.INT32), op, root);
    }

    @Override
    public final void allReduce(final long[] buffer, final ReduceOp op)
    {
        final BufferRef ref = first.setArray(buffer, length(buffer), DataType.INT64);
        inOrderAllReduce(ref, ref, op);
    }

    @Override
    public final void allReduce(final long[] send, final long[] recv, final ReduceOp op)
    {
        inOrderAllReduce(first.setArray(send, length(send), DataType.INT64), second.setArray(recv, length(recv), DataType.INT64), op);
    }

    @Override
    public final void broadcast(final long[] buffer, final int root)
    {
        final BufferRef ref = first.setArray(buffer, length(buffer), DataType.INT64);
        inOrderBroadcast(ref, ref, root);
    }

    @Override
    public final void allGather(final long[] send, final long[] recv)
    {
        inOrderAllGather(first.setArray(send, length(send), DataType.INT64), second.setArray(recv, length(recv), DataType.INT64));
    }

    @Override
    public final void reduceScatter(final long[] send, final long[] recv, final ReduceOp op)
    {
        inOrderReduceScatter(first.setArray(send, length(send), DataType.INT64), second.setArray(recv, length(recv), DataType.INT64), op);
    }

    @Override
    public final void reduce(final long[] send, final long[] recv, final ReduceOp op, final int root)
    {
        inOrderReduce(first.setArray(send, length(send), DataType.INT64), second.setArray(recv, length(recv), DataType.INT64), op, root);
    }

    @Override
    public final void allReduce(final float[] buffer, final ReduceOp op)
    {
        final BufferRef ref = first.setArray(buffer, length(buffer), DataType.FLOAT32);
        inOrderAllReduce(ref, ref, op);
    }

    @Override
    public final void allReduce(final float[] send, final float[] recv, final ReduceOp op)
    {
        inOrderAllReduce(first.setArray(send, length(send), DataType.FLOAT32), second.setArray(recv, length(recv), DataType.FLOAT32), op);
    }

    @Override
    public final void broadcast(final float[] buffer, final int root)
    {
        final BufferRef ref = first.setArray(buffer, length(buffer), DataType.FLOAT32);
        inOrderBroadcast(ref, ref, root);
    }

    @Override
    public final void allGather(final float[] send, final float[] recv)
    {
        inOrderAllGather(first.setArray(send, length(send), DataType.FLOAT32), second.setArray(recv, length(recv), DataType.FLOAT32));
    }

    @Override
    public final void reduceScatter(final float[] send, final float[] recv, final ReduceOp op)
    {
        inOrderReduceScatter(first.setArray(send, length(send), DataType.FLOAT32), second.setArray(recv, length(recv), DataType.FLOAT32), op);
    }

    @Override
    public final void reduce(final float[] send, final float[] recv, final ReduceOp op, final int root)
    {
        inOrderReduce(first.setArray(send, length(send), DataType.FLOAT32), second.setArray(recv, length(recv), DataType.FLOAT32), op, root);
    }

    @Override
    public final void allReduce(final double[] buffer, final ReduceOp op)
    {
        final BufferRef ref = first.setArray(buffer, length(buffer), DataType.FLOAT64);
        inOrderAllReduce(ref, ref, op);
    }

    @Override
    public final void allReduce(final double[] send, final double[] recv, final ReduceOp op)
    {
        inOrderAllReduce(first.setArray(send, length(send), DataType.FLOAT64), second.setArray(recv, length(recv), DataType.FLOAT64), op);
    }

    @Override
    public final void broadcast(final double[] buffer, final int root)
    {
        final BufferRef ref = first.setArray(buffer, length(buffer), DataType.FLOAT64);
        inOrderBroadcast(ref, ref, root);
    }

    @Override
    public final void allGather(final double[] send, final double[] recv)
    {
        inOrderAllGather(first.setArray(send, length(send), DataType.FLOAT64), second.setArray(recv, length(recv), DataType.FLOAT64));
    }

    @Override
    public final void reduceScatter(final double[] send, final double[] recv, final ReduceOp op)
    {
        inOrderReduceScatter(first.setArray(send, length(send), DataType.FLOAT64), second.setArray(recv, length(recv), DataType.FLOAT64), op);
    }

    @Override
    public final void reduce(final double[] send, final double[] recv, final ReduceOp op, final int root)
    {
        inOrderReduce(first.setArray(send, length(send), DataType.FLOAT64), second.setArray(recv, length(recv), DataType.FLOAT64), op, root);
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
