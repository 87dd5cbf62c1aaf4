package dev.jccl.core;

import dev.jccl.Communicator;
import dev.jccl.ReduceOp;

import java.time.Duration;

/**
 * What {@link Communicator#withTimeout} returns: the same communicator, with a different bound on
 * each call made through it. Every call swaps the timeout into the owner for its duration and
 * restores the previous one, so nesting views and mixing them with the owner both work; nothing
 * is allocated per call.
 */
final class TimeoutView extends AbstractCommunicator
{
    private final OrderedCommunicator owner;
    private final long timeoutNanos;
    private final Duration timeout;

    TimeoutView(final OrderedCommunicator owner, final Duration timeout)
    {
        if (timeout == null || timeout.isNegative() || timeout.isZero())
        {
            throw new IllegalArgumentException("per-call timeout must be positive, got " + timeout);
        }
        this.owner = owner;
        this.timeout = timeout;
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public Communicator withTimeout(final Duration timeout)
    {
        return new TimeoutView(owner, timeout);
    }

    @Override
    public int rank()
    {
        return owner.rank();
    }

    @Override
    public int size()
    {
        return owner.size();
    }

    @Override
    public long id()
    {
        return owner.id();
    }

    @Override
    public String transportName()
    {
        return owner.transportName();
    }

    @Override
    protected void doAllReduce(final BufferRef send, final BufferRef recv, final ReduceOp op)
    {
        final long previous = owner.swapCallTimeout(timeoutNanos);
        try
        {
            owner.doAllReduce(send, recv, op);
        }
        finally
        {
            owner.swapCallTimeout(previous);
        }
    }

    @Override
    protected void doBroadcast(final BufferRef send, final BufferRef recv, final int root)
    {
        final long previous = owner.swapCallTimeout(timeoutNanos);
        try
        {
            owner.doBroadcast(send, recv, root);
        }
        finally
        {
            owner.swapCallTimeout(previous);
        }
    }

    @Override
    protected void doAllGather(final BufferRef send, final BufferRef recv)
    {
        final long previous = owner.swapCallTimeout(timeoutNanos);
        try
        {
            owner.doAllGather(send, recv);
        }
        finally
        {
            owner.swapCallTimeout(previous);
        }
    }

    @Override
    protected void doReduceScatter(final BufferRef send, final BufferRef recv, final ReduceOp op)
    {
        final long previous = owner.swapCallTimeout(timeoutNanos);
        try
        {
            owner.doReduceScatter(send, recv, op);
        }
        finally
        {
            owner.swapCallTimeout(previous);
        }
    }

    @Override
    protected void doReduce(final BufferRef send, final BufferRef recv, final ReduceOp op, final int root)
    {
        final long previous = owner.swapCallTimeout(timeoutNanos);
        try
        {
            owner.doReduce(send, recv, op, root);
        }
        finally
        {
            owner.swapCallTimeout(previous);
        }
    }

    @Override
    protected void doBarrier()
    {
        final long previous = owner.swapCallTimeout(timeoutNanos);
        try
        {
            owner.doBarrier();
        }
        finally
        {
            owner.swapCallTimeout(previous);
        }
    }

    @Override
    OrderedCommunicator queueHolder()
    {
        return owner;
    }

    @Override
    protected void checkCall(
        final dev.jccl.wire.CollectiveKind kind, final BufferRef send, final BufferRef recv, final ReduceOp op, final int root)
    {
        owner.checkCall(kind, send, recv, op, root);
    }

    /** A split of the view is a split of the communicator (the new one has the default timeout). */
    @Override
    public Communicator split(final int color, final int key)
    {
        final long previous = owner.swapCallTimeout(timeoutNanos);
        try
        {
            return owner.split(color, key);
        }
        finally
        {
            owner.swapCallTimeout(previous);
        }
    }

    @Override
    public void abort()
    {
        owner.abort();
    }

    @Override
    public void close()
    {
        owner.close();
    }

    @Override
    public String toString()
    {
        return owner + " with timeout " + timeout;
    }
}
