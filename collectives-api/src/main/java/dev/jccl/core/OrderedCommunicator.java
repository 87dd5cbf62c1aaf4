package dev.jccl.core;

import dev.jccl.CommBuffer;
import dev.jccl.Communicator;
import dev.jccl.DataType;
import dev.jccl.ReduceOp;
import dev.jccl.wire.CollectiveKind;

import java.util.concurrent.CompletableFuture;

/**
 * The core of every communicator: maps the {@link CommBuffer} and async forms of
 * {@link Communicator} onto six core operations over two reusable {@link BufferRef}s, so a
 * transport implements each collective once and allocates nothing per call. In-place forms pass the
 * same ref twice. Not thread-safe, as communicators are not. The typed-array forms are
 * {@link AbstractCommunicator}'s.
 *
 * <p>Async calls snapshot their arguments into a {@link PendingCollective} and run the same core
 * operations from the {@link CollectiveQueue}'s progress thread; blocking calls wait their turn
 * behind them, so every call runs in issue order and only one runs at a time.
 */
public abstract class OrderedCommunicator implements Communicator
{
    final BufferRef first = new BufferRef();
    final BufferRef second = new BufferRef();
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
    private volatile CollectiveQueue queue;

    /** {@code send == recv} for the in-place form. */
    protected abstract void doAllReduce(BufferRef send, BufferRef recv, ReduceOp op);

    protected abstract void doBroadcast(BufferRef send, BufferRef recv, int root);

    protected abstract void doAllGather(BufferRef send, BufferRef recv);

    protected abstract void doReduceScatter(BufferRef send, BufferRef recv, ReduceOp op);

    protected abstract void doReduce(BufferRef send, BufferRef recv, ReduceOp op, int root);

    protected abstract void doBarrier();

    /**
     * Throws {@link IllegalArgumentException} for arguments {@code kind}'s core operation would
     * reject, without any I/O: async calls are checked here, at the call, before they are queued.
     * The default checks nothing, so a bad async call fails its future instead.
     */
    protected void checkCall(final CollectiveKind kind, final BufferRef send, final BufferRef recv, final ReduceOp op, final int root)
    {
    }

    /**
     * For {@link #close()} and {@link #abort()}: fails queued async calls with {@code cause} and
     * stops taking new ones (closing: they throw; abort: they fail at once).
     *
     * @return whether an async call is running; the caller must unblock it (abort its transport)
     *         and then call {@link #awaitAsyncStopped()}.
     */
    protected final boolean stopAsync(final RuntimeException cause, final boolean closing)
    {
        return queue().stop(cause, closing);
    }

    /** Waits, bounded, for the progress thread to finish after {@link #stopAsync}. */
    protected final void awaitAsyncStopped()
    {
        queue().awaitStopped();
    }

    @Override
    public final CompletableFuture<Void> allReduceAsync(final CommBuffer send, final CommBuffer recv, final ReduceOp op)
    {
        return submit(CollectiveKind.ALL_REDUCE, new BufferRef().set(send), new BufferRef().set(recv), op, -1);
    }

    @Override
    public final CompletableFuture<Void> allReduceAsync(final CommBuffer buffer, final ReduceOp op)
    {
        final BufferRef ref = new BufferRef().set(buffer);
        return submit(CollectiveKind.ALL_REDUCE, ref, ref, op, -1);
    }

    @Override
    public final CompletableFuture<Void> broadcastAsync(final CommBuffer buffer, final int root)
    {
        final BufferRef ref = new BufferRef().set(buffer);
        return submit(CollectiveKind.BROADCAST, ref, ref, null, root);
    }

    @Override
    public final CompletableFuture<Void> broadcastAsync(final CommBuffer send, final CommBuffer recv, final int root)
    {
        return submit(CollectiveKind.BROADCAST, new BufferRef().set(send), new BufferRef().set(recv), null, root);
    }

    @Override
    public final CompletableFuture<Void> allGatherAsync(final CommBuffer send, final CommBuffer recv)
    {
        return submit(CollectiveKind.ALL_GATHER, new BufferRef().set(send), new BufferRef().set(recv), null, -1);
    }

    @Override
    public final CompletableFuture<Void> allGatherAsync(final CommBuffer buffer)
    {
        final BufferRef ref = new BufferRef().set(buffer);
        return submit(CollectiveKind.ALL_GATHER, ref, ref, null, -1);
    }

    @Override
    public final CompletableFuture<Void> reduceScatterAsync(final CommBuffer send, final CommBuffer recv, final ReduceOp op)
    {
        return submit(CollectiveKind.REDUCE_SCATTER, new BufferRef().set(send), new BufferRef().set(recv), op, -1);
    }

    @Override
    public final CompletableFuture<Void> reduceScatterAsync(final CommBuffer buffer, final ReduceOp op)
    {
        final BufferRef ref = new BufferRef().set(buffer);
        return submit(CollectiveKind.REDUCE_SCATTER, ref, ref, op, -1);
    }

    private CompletableFuture<Void> submit(
        final CollectiveKind kind, final BufferRef send, final BufferRef recv, final ReduceOp op, final int root)
    {
        checkCall(kind, send, recv, op, root);
        return queue().submit(new PendingCollective(this, kind, send, recv, op, root));
    }

    /**
     * The communicator whose progress thread runs this one's async calls and orders its blocking
     * calls: itself, except for a {@link TimeoutView}, which shares its owner's queue so that calls
     * through a view and through the owner keep one issue order.
     */
    OrderedCommunicator queueHolder()
    {
        return this;
    }

    /** Created on first need, by the calling thread or by close/abort (hence synchronized). */
    private CollectiveQueue queue()
    {
        final OrderedCommunicator holder = queueHolder();
        return holder == this ? ownQueue() : holder.ownQueue();
    }

    private synchronized CollectiveQueue ownQueue()
    {
        if (queue == null)
        {
            queue = new CollectiveQueue("jccl-progress-" + rank() + (id() == 0 ? "" : "-comm-" + Long.toUnsignedString(id(), 16)),
                call -> call.runOn(call.target));
        }
        return queue;
    }

    private void awaitTurn(final String call, final BufferRef read, final BufferRef write)
    {
        final CollectiveQueue async = queueHolder().queue;
        if (async != null)
        {
            async.awaitTurn(call, read, write);
        }
    }

    final void inOrderAllReduce(final BufferRef send, final BufferRef recv, final ReduceOp op)
    {
        awaitTurn("allReduce", send, recv);
        doAllReduce(send, recv, op);
    }

    final void inOrderBroadcast(final BufferRef send, final BufferRef recv, final int root)
    {
        awaitTurn("broadcast", send, recv);
        doBroadcast(send, recv, root);
    }

    final void inOrderAllGather(final BufferRef send, final BufferRef recv)
    {
        awaitTurn("allGather", send, recv);
        doAllGather(send, recv);
    }

    final void inOrderReduceScatter(final BufferRef send, final BufferRef recv, final ReduceOp op)
    {
        awaitTurn("reduceScatter", send, recv);
        doReduceScatter(send, recv, op);
    }

    final void inOrderReduce(final BufferRef send, final BufferRef recv, final ReduceOp op, final int root)
    {
        awaitTurn("reduce", send, recv);
        doReduce(send, recv, op, root);
    }

    final void inOrderBarrier()
    {
        awaitTurn("barrier", null, null);
        doBarrier();
    }

    @Override
    public final void allReduce(final CommBuffer send, final CommBuffer recv, final ReduceOp op)
    {
        inOrderAllReduce(first.set(send), second.set(recv), op);
    }

    @Override
    public final void allReduce(final CommBuffer buffer, final ReduceOp op)
    {
        final BufferRef ref = first.set(buffer);
        inOrderAllReduce(ref, ref, op);
    }

    @Override
    public final void broadcast(final CommBuffer buffer, final int root)
    {
        final BufferRef ref = first.set(buffer);
        inOrderBroadcast(ref, ref, root);
    }

    @Override
    public final void broadcast(final CommBuffer send, final CommBuffer recv, final int root)
    {
        inOrderBroadcast(first.set(send), second.set(recv), root);
    }

    @Override
    public final void allGather(final CommBuffer send, final CommBuffer recv)
    {
        inOrderAllGather(first.set(send), second.set(recv));
    }

    @Override
    public final void allGather(final CommBuffer buffer)
    {
        final BufferRef ref = first.set(buffer);
        inOrderAllGather(ref, ref);
    }

    @Override
    public final void reduceScatter(final CommBuffer send, final CommBuffer recv, final ReduceOp op)
    {
        inOrderReduceScatter(first.set(send), second.set(recv), op);
    }

    @Override
    public final void reduceScatter(final CommBuffer buffer, final ReduceOp op)
    {
        final BufferRef ref = first.set(buffer);
        inOrderReduceScatter(ref, ref, op);
    }

    @Override
    public final void reduce(final CommBuffer send, final CommBuffer recv, final ReduceOp op, final int root)
    {
        inOrderReduce(first.set(send), second.set(recv), op, root);
    }

    @Override
    public final void reduce(final CommBuffer buffer, final ReduceOp op, final int root)
    {
        final BufferRef ref = first.set(buffer);
        inOrderReduce(ref, ref, op, root);
    }

    @Override
    public final void barrier()
    {
        inOrderBarrier();
    }
}
