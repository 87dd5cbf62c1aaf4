package dev.jccl.algo;

import dev.jccl.spi.PointToPoint;
import dev.jccl.wire.MessageHeader;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One rank of an {@link InMemoryCluster}. Checks every argument a real transport would
 * (direct buffer, bounds, peer, header length equal to the payload) and throws on misuse.
 */
final class InMemoryPointToPoint implements PointToPoint
{
    private final InMemoryCluster cluster;
    private final int rank;
    private final List<InMemoryCluster.Op> ops = new ArrayList<>();

    /**
     * Receives this rank has posted and not yet awaited, now and at most: how far ahead the
     * algorithm posts, independent of when the peers' sends happen to arrive.
     */
    private final java.util.Set<Long> awaitedRecvs = new java.util.HashSet<>();
    private int outstandingRecvs;
    int maxOutstandingRecvs;

    InMemoryPointToPoint(final InMemoryCluster cluster, final int rank)
    {
        this.cluster = cluster;
        this.rank = rank;
    }

    @Override
    public int rank()
    {
        return rank;
    }

    @Override
    public int size()
    {
        return cluster.size;
    }

    @Override
    public long postSend(final int peer, final MessageHeader header, final ByteBuffer src, final int offset, final int length)
    {
        return post(true, peer, header, src, offset, length);
    }

    @Override
    public long postRecv(final int peer, final MessageHeader expected, final ByteBuffer dst, final int offset, final int length)
    {
        return post(false, peer, expected, dst, offset, length);
    }

    private long post(final boolean send, final int peer, final MessageHeader header, final ByteBuffer buffer, final int offset, final int length)
    {
        if (peer < 0 || peer >= cluster.size || peer == rank)
        {
            throw new IllegalArgumentException("rank " + rank + ": bad peer " + peer);
        }
        if (!buffer.isDirect())
        {
            throw new IllegalArgumentException("rank " + rank + ": buffer is not direct");
        }
        if (offset < 0 || length < 0 || (long)offset + length > buffer.capacity())
        {
            throw new IndexOutOfBoundsException("rank " + rank + ": [" + offset + ", +" + length + ") outside capacity " + buffer.capacity());
        }
        if (header.length() != length)
        {
            throw new IllegalArgumentException("rank " + rank + ": header length " + header.length() + " != payload " + length);
        }
        if (header.kind() == null)
        {
            throw new IllegalArgumentException("rank " + rank + ": header has no collective kind");
        }
        final InMemoryCluster.Op op = new InMemoryCluster.Op(rank, peer, send, header, buffer, offset, length);
        synchronized (cluster.lock)
        {
            final RuntimeException f = cluster.failure();
            if (f != null)
            {
                throw f;
            }
            ops.add(op);
            cluster.post(op);
            if (!send)
            {
                maxOutstandingRecvs = Math.max(maxOutstandingRecvs, ++outstandingRecvs);
            }
            return ops.size() - 1;
        }
    }

    @Override
    public void await(final long ticket)
    {
        final InMemoryCluster.Op op;
        synchronized (cluster.lock)
        {
            if (ticket < 0 || ticket >= ops.size())
            {
                throw new IllegalArgumentException("rank " + rank + ": unknown ticket " + ticket);
            }
            op = ops.get((int)ticket);
            if (!op.send && awaitedRecvs.add(ticket))
            {
                outstandingRecvs--;
            }
        }
        cluster.await(op);
    }

    @Override
    public void awaitAll()
    {
        final List<InMemoryCluster.Op> copy;
        synchronized (cluster.lock)
        {
            copy = new ArrayList<>(ops);
            for (long t = 0; t < copy.size(); t++)
            {
                if (!copy.get((int)t).send && awaitedRecvs.add(t))
                {
                    outstandingRecvs--;
                }
            }
        }
        for (final InMemoryCluster.Op op : copy)
        {
            cluster.await(op);
        }
    }

    /** @return a description of operations not yet complete, or null when none. */
    String pendingDescription()
    {
        synchronized (cluster.lock)
        {
            final StringBuilder sb = new StringBuilder();
            for (final InMemoryCluster.Op op : ops)
            {
                if (!op.done)
                {
                    sb.append(op.send ? " send to " : " recv from ").append(op.peer).append(' ').append(op.header.describe());
                }
            }
            return sb.length() == 0 ? null : sb.toString();
        }
    }

    /** Operations posted so far. */
    int posted()
    {
        synchronized (cluster.lock)
        {
            return ops.size();
        }
    }
}
