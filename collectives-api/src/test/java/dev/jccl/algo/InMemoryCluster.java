package dev.jccl.algo;

import dev.jccl.CollectiveException;
import dev.jccl.CollectiveMismatchException;
import dev.jccl.CollectiveTimeoutException;
import dev.jccl.wire.MessageHeader;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * N ranks as threads in one JVM, exchanging through in-memory queues with the semantics of
 * {@link dev.jccl.spi.PointToPoint}: the i-th send from a to b meets b's i-th receive from a;
 * operations never block when posted; every wait is bounded.
 *
 * <p>Transfers are rendezvous: the bytes are copied from the sender's buffer only when both the
 * send and the matching receive are posted, and the send completes at that moment. So an
 * algorithm that writes a buffer with a send still pending, awaits a send before posting the
 * receive its peer waits on, or returns with operations outstanding is caught. A receive whose
 * expected header differs from the arriving one fails the whole cluster with
 * {@link CollectiveMismatchException}; any failure or timeout wakes every rank with it.
 */
final class InMemoryCluster
{
    /** Rank body run on its own thread. */
    @FunctionalInterface
    interface RankBody
    {
        void run(CollectiveContext ctx) throws Exception;
    }

    static final long DEFAULT_TIMEOUT_MS = 20_000;

    static final class Op
    {
        final int owner;
        final int peer;
        final boolean send;
        final MessageHeader header;
        final ByteBuffer buffer;
        final int offset;
        final int length;
        boolean done;

        Op(final int owner, final int peer, final boolean send, final MessageHeader header,
            final ByteBuffer buffer, final int offset, final int length)
        {
            this.owner = owner;
            this.peer = peer;
            this.send = send;
            this.header = new MessageHeader().copyFrom(header);
            this.buffer = buffer;
            this.offset = offset;
            this.length = length;
        }
    }

    final int size;
    final long timeoutMs;
    final Object lock = new Object();
    private final ArrayDeque<Op>[][] sends;
    private final ArrayDeque<Op>[][] recvs;
    private final InMemoryPointToPoint[] ranks;
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    long messages;
    long bytes;
    /** Per rank: receives posted and not yet matched, now and at most (guarded by {@link #lock}). */
    final int[] pendingRecvs;
    final int[] maxPendingRecvs;

    @SuppressWarnings("unchecked")
    InMemoryCluster(final int size, final long timeoutMs)
    {
        this.size = size;
        this.timeoutMs = timeoutMs;
        sends = new ArrayDeque[size][size];
        recvs = new ArrayDeque[size][size];
        ranks = new InMemoryPointToPoint[size];
        pendingRecvs = new int[size];
        maxPendingRecvs = new int[size];
        for (int i = 0; i < size; i++)
        {
            for (int j = 0; j < size; j++)
            {
                sends[i][j] = new ArrayDeque<>();
                recvs[i][j] = new ArrayDeque<>();
            }
            ranks[i] = new InMemoryPointToPoint(this, i);
        }
    }

    InMemoryPointToPoint rank(final int rank)
    {
        return ranks[rank];
    }

    RuntimeException failure()
    {
        return failure.get();
    }

    /** Records the first failure and wakes every waiting rank. */
    void fail(final RuntimeException e)
    {
        failure.compareAndSet(null, e);
        synchronized (lock)
        {
            lock.notifyAll();
        }
    }

    /** Called under {@link #lock}. */
    void post(final Op op)
    {
        if (op.send)
        {
            sends[op.owner][op.peer].add(op);
            match(op.owner, op.peer);
        }
        else
        {
            recvs[op.owner][op.peer].add(op);
            maxPendingRecvs[op.owner] = Math.max(maxPendingRecvs[op.owner], ++pendingRecvs[op.owner]);
            match(op.peer, op.owner);
        }
    }

    private void match(final int from, final int to)
    {
        final ArrayDeque<Op> s = sends[from][to];
        final ArrayDeque<Op> r = recvs[to][from];
        while (!s.isEmpty() && !r.isEmpty())
        {
            final Op send = s.poll();
            final Op recv = r.poll();
            if (!recv.header.matches(send.header))
            {
                final CollectiveMismatchException e = new CollectiveMismatchException(
                    "rank " + to + " expected " + recv.header.describe() + " from rank " + from +
                    " but rank " + from + " sent " + send.header.describe());
                failure.compareAndSet(null, e);
                lock.notifyAll();
                return;
            }
            recv.buffer.put(recv.offset, send.buffer, send.offset, send.length);
            send.done = true;
            recv.done = true;
            pendingRecvs[recv.owner]--;
            messages++;
            bytes += send.length;
            lock.notifyAll();
        }
    }

    /** Waits under {@link #lock} until {@code op} completes, the cluster fails or the timeout passes. */
    void await(final Op op)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        synchronized (lock)
        {
            while (!op.done)
            {
                final RuntimeException f = failure.get();
                if (f != null)
                {
                    throw f;
                }
                final long left = deadline - System.nanoTime();
                if (left <= 0)
                {
                    final CollectiveTimeoutException e = new CollectiveTimeoutException(
                        "rank " + op.owner + " timed out after " + timeoutMs + " ms on " + (op.send ? "send to " : "receive from ") +
                        op.peer + ": " + op.header.describe());
                    fail(e);
                    throw e;
                }
                try
                {
                    lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
                catch (final InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                    throw new CollectiveException("interrupted", e);
                }
            }
        }
    }

    /** Operations posted but never matched, for the end-of-run check. */
    List<String> unmatched()
    {
        final List<String> out = new ArrayList<>();
        synchronized (lock)
        {
            for (int i = 0; i < size; i++)
            {
                for (int j = 0; j < size; j++)
                {
                    for (final Op op : sends[i][j])
                    {
                        out.add("send " + i + "->" + j + " " + op.header.describe());
                    }
                    for (final Op op : recvs[i][j])
                    {
                        out.add("recv " + i + "<-" + j + " " + op.header.describe());
                    }
                }
            }
        }
        return out;
    }

    /** Runs {@code body} on {@code size} ranks with the default timeout; rethrows the first failure. */
    static InMemoryCluster run(final int size, final RankBody body)
    {
        return run(size, DEFAULT_TIMEOUT_MS, body);
    }

    static InMemoryCluster run(final int size, final long timeoutMs, final RankBody body)
    {
        final InMemoryCluster cluster = new InMemoryCluster(size, timeoutMs);
        final Thread[] threads = new Thread[size];
        final AtomicReference<Throwable> first = new AtomicReference<>();
        for (int r = 0; r < size; r++)
        {
            final int rank = r;
            threads[r] = new Thread(() ->
            {
                try
                {
                    final CollectiveContext ctx = new CollectiveContext(cluster.rank(rank), new TestKernels());
                    body.run(ctx);
                    final String pending = cluster.rank(rank).pendingDescription();
                    if (pending != null)
                    {
                        throw new AssertionError("rank " + rank + " returned with operations outstanding: " + pending);
                    }
                }
                catch (final Throwable t)
                {
                    first.compareAndSet(null, t);
                    cluster.fail(t instanceof RuntimeException ? (RuntimeException)t : new CollectiveException("rank " + rank + " failed", t));
                }
            }, "rank-" + r);
            threads[r].setDaemon(true);
            threads[r].start();
        }
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs + 10_000);
        for (final Thread t : threads)
        {
            try
            {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            if (t.isAlive())
            {
                cluster.fail(new CollectiveTimeoutException("cluster run did not finish"));
                throw new AssertionError(t.getName() + " did not finish within " + (timeoutMs + 10_000) + " ms");
            }
        }
        // The failure the cluster recorded first is the cause; others are its echoes.
        final RuntimeException clusterFailure = cluster.failure();
        final Throwable t = clusterFailure != null && !(first.get() instanceof AssertionError) ? clusterFailure : first.get();
        if (t instanceof RuntimeException)
        {
            throw (RuntimeException)t;
        }
        if (t instanceof Error)
        {
            throw (Error)t;
        }
        if (t != null)
        {
            throw new AssertionError(t);
        }
        final List<String> unmatched = cluster.unmatched();
        if (!unmatched.isEmpty())
        {
            throw new AssertionError("operations never matched: " + unmatched);
        }
        return cluster;
    }
}
