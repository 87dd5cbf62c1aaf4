package dev.jccl.bench;

import dev.jccl.CommBuffer;
import dev.jccl.Communicator;
import dev.jccl.DataType;
import dev.jccl.ReduceOp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An in-memory stand-in for a JCCL job, for testing the driver without a transport: N
 * communicators that meet at a barrier, swap copies of their inputs and each compute their own
 * output with {@link Reference}; device buffers ({@code CommBuffer.device}) are {@link FakeDevice}
 * memory. {@link #corruptRank} makes one rank flip a bit of its first
 * output element on every data call, as a broken library would.
 */
final class FakeCluster
{
    final int size;
    private final CyclicBarrier barrier;
    private final byte[][] slots;
    volatile int corruptRank = -1;
    /** Byte length of every buffer allReduce that rank 0 made, in call order. */
    final List<Long> rank0AllReduceBytes = Collections.synchronizedList(new ArrayList<>());

    FakeCluster(final int size)
    {
        this.size = size;
        this.barrier = new CyclicBarrier(size);
        this.slots = new byte[size][];
    }

    Communicator comm(final int rank)
    {
        return new FakeComm(rank);
    }

    private byte[][] exchange(final int rank, final byte[] mine)
    {
        slots[rank] = mine;
        await();
        final byte[][] all = slots.clone();
        await();
        return all;
    }

    private void await()
    {
        try
        {
            barrier.await(60, TimeUnit.SECONDS);
        }
        catch (final InterruptedException | BrokenBarrierException | TimeoutException ex)
        {
            throw new IllegalStateException("fake cluster broken", ex);
        }
    }

    static byte[] read(final CommBuffer b)
    {
        final int len = Math.toIntExact(b.byteLength());
        final int off = (int)b.byteOffset();
        final byte[] out = new byte[len];
        final Object m = b.memory() instanceof Long ? FakeDevice.memory((Long)b.memory()) : b.memory();
        if (m instanceof byte[])
        {
            System.arraycopy((byte[])m, off, out, 0, len);
        }
        else if (m instanceof ByteBuffer)
        {
            final ByteBuffer d = ((ByteBuffer)m).duplicate();
            d.clear();
            d.position(off);
            d.get(out);
        }
        else
        {
            final ByteBuffer o = ByteBuffer.wrap(out).order(ByteOrder.nativeOrder());
            final int first = off / b.type().size();
            for (int i = 0; i < b.count(); i++)
            {
                if (m instanceof double[])
                {
                    o.putDouble(((double[])m)[first + i]);
                }
                else if (m instanceof float[])
                {
                    o.putFloat(((float[])m)[first + i]);
                }
                else if (m instanceof long[])
                {
                    o.putLong(((long[])m)[first + i]);
                }
                else if (m instanceof int[])
                {
                    o.putInt(((int[])m)[first + i]);
                }
                else
                {
                    throw new IllegalArgumentException("fake: memory " + m.getClass());
                }
            }
        }
        return out;
    }

    /** Writes {@code data} at byte {@code at} of the buffer's range. */
    static void write(final CommBuffer b, final byte[] data, final int at)
    {
        final int off = (int)b.byteOffset() + at;
        final Object m = b.memory() instanceof Long ? FakeDevice.memory((Long)b.memory()) : b.memory();
        if (m instanceof byte[])
        {
            System.arraycopy(data, 0, (byte[])m, off, data.length);
        }
        else if (m instanceof ByteBuffer)
        {
            final ByteBuffer d = ((ByteBuffer)m).duplicate();
            d.clear();
            d.position(off);
            d.put(data);
        }
        else
        {
            final ByteBuffer in = ByteBuffer.wrap(data).order(ByteOrder.nativeOrder());
            final int first = off / b.type().size();
            for (int i = 0; i < data.length / b.type().size(); i++)
            {
                if (m instanceof double[])
                {
                    ((double[])m)[first + i] = in.getDouble();
                }
                else if (m instanceof float[])
                {
                    ((float[])m)[first + i] = in.getFloat();
                }
                else if (m instanceof long[])
                {
                    ((long[])m)[first + i] = in.getLong();
                }
                else if (m instanceof int[])
                {
                    ((int[])m)[first + i] = in.getInt();
                }
            }
        }
    }

    private final class FakeComm implements Communicator
    {
        private final int rank;

        FakeComm(final int rank)
        {
            this.rank = rank;
        }

        private void deliver(final CommBuffer b, final byte[] data, final int at, final boolean corruptible)
        {
            if (corruptible && rank == corruptRank && data.length > 0)
            {
                data[0] ^= 0x10;
            }
            write(b, data, at);
        }

        private byte[] reduceAll(final byte[][] all, final DataType t, final ReduceOp op)
        {
            return Reference.reduce(all, t, op);
        }

        @Override
        public int rank()
        {
            return rank;
        }

        @Override
        public int size()
        {
            return size;
        }

        @Override
        public long id()
        {
            return 0;
        }

        @Override
        public String transportName()
        {
            return "fake";
        }

        private void allReduce(final CommBuffer send, final CommBuffer recv, final ReduceOp op, final boolean corruptible)
        {
            if (rank == 0)
            {
                rank0AllReduceBytes.add(send.byteLength());
            }
            final byte[][] all = exchange(rank, read(send));
            deliver(recv, reduceAll(all, send.type(), op), 0, corruptible);
        }

        @Override
        public void allReduce(final CommBuffer send, final CommBuffer recv, final ReduceOp op)
        {
            allReduce(send, recv, op, true);
        }

        @Override
        public void allReduce(final CommBuffer buffer, final ReduceOp op)
        {
            allReduce(buffer, buffer, op, true);
        }

        @Override
        public void broadcast(final CommBuffer buffer, final int root)
        {
            broadcast(buffer, buffer, root, true);
        }

        @Override
        public void broadcast(final CommBuffer send, final CommBuffer recv, final int root)
        {
            broadcast(send, recv, root, true);
        }

        private void broadcast(final CommBuffer send, final CommBuffer recv, final int root, final boolean corruptible)
        {
            final byte[][] all = exchange(rank, read(send));
            deliver(recv, all[root].clone(), 0, corruptible);
        }

        private void allGather(final byte[] mine, final CommBuffer recv, final boolean corruptible)
        {
            final byte[][] all = exchange(rank, mine);
            final byte[] out = new byte[mine.length * size];
            for (int r = 0; r < size; r++)
            {
                System.arraycopy(all[r], 0, out, r * mine.length, mine.length);
            }
            deliver(recv, out, 0, corruptible);
        }

        @Override
        public void allGather(final CommBuffer send, final CommBuffer recv)
        {
            allGather(read(send), recv, true);
        }

        @Override
        public void allGather(final CommBuffer buffer)
        {
            final byte[] whole = read(buffer);
            final int block = whole.length / size;
            final byte[] mine = new byte[block];
            System.arraycopy(whole, rank * block, mine, 0, block);
            allGather(mine, buffer, true);
        }

        @Override
        public void reduceScatter(final CommBuffer send, final CommBuffer recv, final ReduceOp op)
        {
            final byte[] full = reduceAll(exchange(rank, read(send)), send.type(), op);
            final int block = full.length / size;
            final byte[] mine = new byte[block];
            System.arraycopy(full, rank * block, mine, 0, block);
            deliver(recv, mine, 0, true);
        }

        @Override
        public void reduceScatter(final CommBuffer buffer, final ReduceOp op)
        {
            final byte[] full = reduceAll(exchange(rank, read(buffer)), buffer.type(), op);
            final int block = full.length / size;
            final byte[] mine = new byte[block];
            System.arraycopy(full, rank * block, mine, 0, block);
            deliver(buffer, mine, rank * block, true);
        }

        @Override
        public void reduce(final CommBuffer send, final CommBuffer recv, final ReduceOp op, final int root)
        {
            final byte[] full = reduceAll(exchange(rank, read(send)), send.type(), op);
            if (rank == root)
            {
                deliver(recv, full, 0, true);
            }
        }

        @Override
        public void reduce(final CommBuffer buffer, final ReduceOp op, final int root)
        {
            reduce(buffer, buffer, op, root);
        }

        @Override
        public void barrier()
        {
            exchange(rank, new byte[0]);
        }

        // array forms: used by the driver for its own bookkeeping, never corrupted

        @Override
        public void allReduce(final byte[] buffer, final ReduceOp op)
        {
            allReduce(CommBuffer.of(buffer), CommBuffer.of(buffer), op, false);
        }

        @Override
        public void allReduce(final byte[] send, final byte[] recv, final ReduceOp op)
        {
            allReduce(CommBuffer.of(send), CommBuffer.of(recv), op, false);
        }

        @Override
        public void broadcast(final byte[] buffer, final int root)
        {
            broadcast(CommBuffer.of(buffer), CommBuffer.of(buffer), root, false);
        }

        @Override
        public void allGather(final byte[] send, final byte[] recv)
        {
            allGather(read(CommBuffer.of(send)), CommBuffer.of(recv), false);
        }

        @Override
        public void reduceScatter(final byte[] send, final byte[] recv, final ReduceOp op)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public void reduce(final byte[] send, final byte[] recv, final ReduceOp op, final int root)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public void allReduce(final int[] buffer, final ReduceOp op)
        {
            allReduce(CommBuffer.of(buffer), CommBuffer.of(buffer), op, false);
        }

        @Override
        public void allReduce(final int[] send, final int[] recv, final ReduceOp op)
        {
            allReduce(CommBuffer.of(send), CommBuffer.of(recv), op, false);
        }

        @Override
        public void broadcast(final int[] buffer, final int root)
        {
            broadcast(CommBuffer.of(buffer), CommBuffer.of(buffer), root, false);
        }

        @Override
        public void allGather(final int[] send, final int[] recv)
        {
            allGather(read(CommBuffer.of(send)), CommBuffer.of(recv), false);
        }

        @Override
        public void reduceScatter(final int[] send, final int[] recv, final ReduceOp op)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public void reduce(final int[] send, final int[] recv, final ReduceOp op, final int root)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public void allReduce(final long[] buffer, final ReduceOp op)
        {
            allReduce(CommBuffer.of(buffer), CommBuffer.of(buffer), op, false);
        }

        @Override
        public void allReduce(final long[] send, final long[] recv, final ReduceOp op)
        {
            allReduce(CommBuffer.of(send), CommBuffer.of(recv), op, false);
        }

        @Override
        public void broadcast(final long[] buffer, final int root)
        {
            broadcast(CommBuffer.of(buffer), CommBuffer.of(buffer), root, false);
        }

        @Override
        public void allGather(final long[] send, final long[] recv)
        {
            allGather(read(CommBuffer.of(send)), CommBuffer.of(recv), false);
        }

        @Override
        public void reduceScatter(final long[] send, final long[] recv, final ReduceOp op)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public void reduce(final long[] send, final long[] recv, final ReduceOp op, final int root)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public void allReduce(final float[] buffer, final ReduceOp op)
        {
            allReduce(CommBuffer.of(buffer), CommBuffer.of(buffer), op, false);
        }

        @Override
        public void allReduce(final float[] send, final float[] recv, final ReduceOp op)
        {
            allReduce(CommBuffer.of(send), CommBuffer.of(recv), op, false);
        }

        @Override
        public void broadcast(final float[] buffer, final int root)
        {
            broadcast(CommBuffer.of(buffer), CommBuffer.of(buffer), root, false);
        }

        @Override
        public void allGather(final float[] send, final float[] recv)
        {
            allGather(read(CommBuffer.of(send)), CommBuffer.of(recv), false);
        }

        @Override
        public void reduceScatter(final float[] send, final float[] recv, final ReduceOp op)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public void reduce(final float[] send, final float[] recv, final ReduceOp op, final int root)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public void allReduce(final double[] buffer, final ReduceOp op)
        {
            allReduce(CommBuffer.of(buffer), CommBuffer.of(buffer), op, false);
        }

        @Override
        public void allReduce(final double[] send, final double[] recv, final ReduceOp op)
        {
            allReduce(CommBuffer.of(send), CommBuffer.of(recv), op, false);
        }

        @Override
        public void broadcast(final double[] buffer, final int root)
        {
            broadcast(CommBuffer.of(buffer), CommBuffer.of(buffer), root, false);
        }

        @Override
        public void allGather(final double[] send, final double[] recv)
        {
            allGather(read(CommBuffer.of(send)), CommBuffer.of(recv), false);
        }

        @Override
        public void reduceScatter(final double[] send, final double[] recv, final ReduceOp op)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public void reduce(final double[] send, final double[] recv, final ReduceOp op, final int root)
        {
            throw new UnsupportedOperationException();
        }

        // async forms: the driver never issues them; the fake runs them at once, in issue order

        @Override
        public CompletableFuture<Void> allReduceAsync(final CommBuffer send, final CommBuffer recv, final ReduceOp op)
        {
            return now(() -> allReduce(send, recv, op));
        }

        @Override
        public CompletableFuture<Void> allReduceAsync(final CommBuffer buffer, final ReduceOp op)
        {
            return now(() -> allReduce(buffer, op));
        }

        @Override
        public CompletableFuture<Void> broadcastAsync(final CommBuffer buffer, final int root)
        {
            return now(() -> broadcast(buffer, root));
        }

        @Override
        public CompletableFuture<Void> broadcastAsync(final CommBuffer send, final CommBuffer recv, final int root)
        {
            return now(() -> broadcast(send, recv, root));
        }

        @Override
        public CompletableFuture<Void> allGatherAsync(final CommBuffer send, final CommBuffer recv)
        {
            return now(() -> allGather(send, recv));
        }

        @Override
        public CompletableFuture<Void> allGatherAsync(final CommBuffer buffer)
        {
            return now(() -> allGather(buffer));
        }

        @Override
        public CompletableFuture<Void> reduceScatterAsync(final CommBuffer send, final CommBuffer recv, final ReduceOp op)
        {
            return now(() -> reduceScatter(send, recv, op));
        }

        @Override
        public CompletableFuture<Void> reduceScatterAsync(final CommBuffer buffer, final ReduceOp op)
        {
            return now(() -> reduceScatter(buffer, op));
        }

        private CompletableFuture<Void> now(final Runnable call)
        {
            try
            {
                call.run();
                return CompletableFuture.completedFuture(null);
            }
            catch (final RuntimeException ex)
            {
                return CompletableFuture.failedFuture(ex);
            }
        }

        @Override
        public Communicator split(final int color, final int key)
        {
            throw new UnsupportedOperationException("the fake cluster has no split");
        }

        @Override
        public Communicator withTimeout(final java.time.Duration timeout)
        {
            // The fake's calls meet at an in-JVM barrier and never wait on a network: any bound holds.
            return this;
        }

        @Override
        public void abort()
        {
            barrier.reset();
        }

        @Override
        public void close()
        {
        }
    }
}
