package dev.jccl.core;

import dev.jccl.CollectiveException;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.WARNING;

/**
 * The async calls of one communicator, in issue order, and the single daemon thread that runs
 * them one at a time. Blocking calls pass {@link #awaitTurn} first, so they run after every async
 * call issued before them and never alongside one: the communicator's scratch memory, header and
 * sequence numbers are only ever used by one thread at a time.
 *
 * <p>Futures complete on the progress thread in issue order, each after its call stopped
 * running (so a caller that joined a future may reuse its buffers at once) and before it leaves
 * the in-flight count (so a blocking call issued later returns only after the future is done). The first
 * {@link CollectiveException} breaks the queue: later calls fail at once with it, in order.
 * {@link #stop} fails what is still queued, lets the running call be unblocked by the owner's
 * abort, and waits a bounded time for the thread.
 */
final class CollectiveQueue
{
    private static final System.Logger LOG = System.getLogger(CollectiveQueue.class.getName());
    private static final long STOP_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final String threadName;
    private final Consumer<PendingCollective> runner;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Condition idle = lock.newCondition();
    private final ArrayDeque<PendingCollective> queued = new ArrayDeque<>();

    private PendingCollective running;
    /** Queued plus running: read without the lock on the blocking calls' fast path. */
    private volatile int inFlight;
    private volatile Thread thread;
    private RuntimeException broken;
    private RuntimeException stoppedBy;
    private boolean closed;

    /**
     * @param runner runs one call on the progress thread, throwing what the blocking call would.
     */
    CollectiveQueue(final String threadName, final Consumer<PendingCollective> runner)
    {
        this.threadName = threadName;
        this.runner = runner;
    }

    /**
     * Queues a call whose arguments were already checked.
     *
     * @throws IllegalStateException when the communicator is closed, or the call's buffers race
     *                               with an unfinished call's.
     */
    CompletableFuture<Void> submit(final PendingCollective call)
    {
        lock.lock();
        try
        {
            if (closed)
            {
                throw new IllegalStateException("communicator is closed");
            }
            checkConflicts(call.kind.apiName() + "Async", call.send, call.recv);
            final RuntimeException failure = stoppedBy != null ? stoppedBy : broken;
            if (failure != null && inFlight == 0)
            {
                call.future.completeExceptionally(failure);
                return call.future;
            }
            queued.addLast(call);
            inFlight++;
            if (thread == null)
            {
                final Thread progress = new Thread(this::progress, threadName);
                progress.setDaemon(true);
                thread = progress;
                progress.start();
            }
            work.signal();
            return call.future;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Called by every blocking call before it starts: returns at once when nothing is in flight,
     * otherwise checks its buffers against the unfinished calls and waits until they are done.
     * The waits are bounded because every queued call is (the communicator's timeout, abort).
     *
     * @param read  memory the call reads (may be null).
     * @param write memory the call writes (may be null).
     */
    void awaitTurn(final String call, final BufferRef read, final BufferRef write)
    {
        final Thread progress = thread;
        if (progress != null && Thread.currentThread() == progress)
        {
            throw new IllegalStateException(call + " called on the progress thread (from a future's completion action?): " +
                "use the future's ...Async methods to continue on another thread");
        }
        if (inFlight == 0)
        {
            return;
        }
        lock.lock();
        try
        {
            checkConflicts(call, read, write);
            while (inFlight > 0)
            {
                idle.awaitUninterruptibly();
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    private void checkConflicts(final String call, final BufferRef read, final BufferRef write)
    {
        if (running != null && running.conflictsWith(read, write))
        {
            throw inUse(call, running);
        }
        for (final PendingCollective pending : queued)
        {
            if (pending.conflictsWith(read, write))
            {
                throw inUse(call, pending);
            }
        }
    }

    private static IllegalStateException inUse(final String call, final PendingCollective pending)
    {
        return new IllegalStateException(call + ": buffer in use by an unfinished " + pending.describe() +
            "; wait for its future before touching the buffer");
    }

    /**
     * Stops taking calls: queued ones fail with {@code cause}, in order. The running call must be
     * unblocked by the caller (an abort of the transport); this waits a bounded time for it.
     *
     * @param closing later calls throw IllegalStateException (close) rather than fail with
     *                {@code cause} (abort).
     * @return whether a call was running when stopped.
     */
    boolean stop(final RuntimeException cause, final boolean closing)
    {
        lock.lock();
        try
        {
            closed |= closing;
            if (stoppedBy == null)
            {
                stoppedBy = cause;
            }
            work.signalAll();
            return running != null;
        }
        finally
        {
            lock.unlock();
        }
    }

    /** Waits up to a bound for the progress thread to drain and exit; fails what it left behind. */
    void awaitStopped()
    {
        final Thread progress = thread;
        if (progress == null || progress == Thread.currentThread())
        {
            return;
        }
        try
        {
            progress.join(TimeUnit.NANOSECONDS.toMillis(STOP_WAIT_NANOS));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        if (progress.isAlive())
        {
            LOG.log(WARNING, "{0} did not stop within {1} s; failing its queued calls from here",
                threadName, TimeUnit.NANOSECONDS.toSeconds(STOP_WAIT_NANOS));
            lock.lock();
            try
            {
                for (PendingCollective call = queued.pollFirst(); call != null; call = queued.pollFirst())
                {
                    call.future.completeExceptionally(stoppedBy);
                }
            }
            finally
            {
                lock.unlock();
            }
        }
    }

    private void progress()
    {
        LOG.log(DEBUG, "{0} started", threadName);
        while (true)
        {
            final PendingCollective call;
            final RuntimeException failFast;
            lock.lock();
            try
            {
                while (queued.isEmpty() && stoppedBy == null)
                {
                    work.awaitUninterruptibly();
                }
                call = queued.pollFirst();
                if (call == null)
                {
                    break;
                }
                running = call;
                failFast = stoppedBy != null ? stoppedBy : broken;
            }
            finally
            {
                lock.unlock();
            }
            final Throwable failure = failFast != null ? failFast : run(call);
            lock.lock();
            try
            {
                running = null;  // its buffers are free again for whoever joins the future
            }
            finally
            {
                lock.unlock();
            }
            // Completed outside the lock (dependent actions run here and may take their time) but
            // before the call leaves inFlight: a blocking call issued after this one returns only
            // once this future is done, so callers may rely on isDone() after it.
            if (failure == null)
            {
                call.future.complete(null);
            }
            else
            {
                call.future.completeExceptionally(failure);
            }
            lock.lock();
            try
            {
                if (--inFlight == 0)
                {
                    idle.signalAll();
                }
            }
            finally
            {
                lock.unlock();
            }
        }
        LOG.log(DEBUG, "{0} stopped", threadName);
    }

    private Throwable run(final PendingCollective call)
    {
        try
        {
            runner.accept(call);
            return null;
        }
        catch (final CollectiveException ex)
        {
            lock.lock();
            try
            {
                if (broken == null)
                {
                    broken = ex;
                }
            }
            finally
            {
                lock.unlock();
            }
            return ex;
        }
        catch (final RuntimeException | Error ex)
        {
            return ex;
        }
    }
}
