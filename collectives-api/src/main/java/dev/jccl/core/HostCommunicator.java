package dev.jccl.core;

import dev.jccl.CollectiveException;
import dev.jccl.Communicator;
import dev.jccl.CommunicatorAbortedException;
import dev.jccl.DataType;
import dev.jccl.ReduceOp;
import dev.jccl.algo.AlgorithmSelector;
import dev.jccl.algo.BroadcastAlgorithm;
import dev.jccl.algo.CollectiveContext;
import dev.jccl.algo.HierarchyPattern;
import dev.jccl.kernel.ReduceKernels;
import dev.jccl.spi.HostTransport;
import dev.jccl.spi.SubCommunicatorFactory;
import dev.jccl.store.Store;
import dev.jccl.wire.CollectiveKind;
import dev.jccl.wire.MessageHeader;
import org.agrona.BufferUtil;

import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * A communicator over a host-memory point-to-point transport (TCP, shared memory). Each call is
 * validated before any I/O, bracketed by the transport's collective deadline, and run by the
 * algorithm the selector picks for its size, in place on direct memory: the caller's own direct
 * buffer where possible, otherwise a pooled staging buffer that is copied in and out.
 */
public final class HostCommunicator extends AbstractCommunicator
{
    /** Scratch slots 0 and 1 belong to the algorithms; these two to staging. */
    private static final int STAGE_RECV = 2;
    private static final int STAGE_SEND = 3;

    private final HostTransport transport;
    private final CollectiveContext ctx;
    private final AlgorithmSelector selector;
    private final long communicatorId;
    private final Duration timeout;
    private final Store store;
    private final int rank;
    private final int size;
    private final MessageHeader header;
    private final SubCommunicatorFactory subFactory;
    private long sequence;
    private long splits;
    private volatile boolean closed;

    /** A communicator that cannot {@link #split}. */
    public HostCommunicator(
        final HostTransport transport, final ReduceKernels kernels, final AlgorithmSelector selector,
        final long communicatorId, final Duration timeout, final Store store)
    {
        this(transport, kernels, selector, communicatorId, timeout, store, null);
    }

    /**
     * @param store      closed with the communicator when not null (the bootstrap connection).
     * @param subFactory builds the communicators {@link #split} returns (null: split is unsupported).
     */
    public HostCommunicator(
        final HostTransport transport, final ReduceKernels kernels, final AlgorithmSelector selector,
        final long communicatorId, final Duration timeout, final Store store, final SubCommunicatorFactory subFactory)
    {
        this.subFactory = subFactory;
        this.transport = transport;
        this.ctx = new CollectiveContext(transport, kernels);
        final HierarchyPattern hierarchy = hierarchy(transport);
        ctx.hierarchy(hierarchy);
        this.selector = selector.forHierarchy(hierarchy);
        this.communicatorId = communicatorId;
        this.timeout = timeout;
        this.store = store;
        this.rank = transport.rank();
        this.size = transport.size();
        this.header = ctx.header();
    }

    /** Where every rank runs, from the host names the transport's ranks published. */
    private static HierarchyPattern hierarchy(final HostTransport transport)
    {
        final String[] hosts = new String[transport.size()];
        for (int r = 0; r < hosts.length; r++)
        {
            hosts[r] = transport.peerHost(r);
        }
        return new HierarchyPattern(hosts, transport.rank());
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
        return communicatorId;
    }

    @Override
    public String transportName()
    {
        return transport.name();
    }

    /** The algorithm context, for benchmarks that tune segment size. */
    public CollectiveContext context()
    {
        return ctx;
    }

    @Override
    protected void doAllReduce(final BufferRef send, final BufferRef recv, final ReduceOp op)
    {
        HostCallChecks.allReduce(send, recv, op);
        final int bytes = HostCallChecks.bytes(recv.byteLength());
        final boolean inPlace = send.sameRegion(recv);
        final ByteBuffer work = workBuffer(recv, bytes);
        final int offset = workOffset(recv, work);
        // Out of place from a direct buffer the algorithm reads send itself (the ring never copies
        // it); overlapping send and recv keep the copy, which is made before any byte is written.
        final ByteBuffer sendDirect = inPlace ? null : HostMemory.directBuffer(send);
        final boolean fromSend = sendDirect != null && HostMemory.directOffset(send) + bytes <= Integer.MAX_VALUE &&
            disjoint(sendDirect, (int)HostMemory.directOffset(send), work, offset, bytes);
        if (!fromSend && (!inPlace || work != HostMemory.directBuffer(recv)))
        {
            copyToWork(inPlace ? recv : send, work, offset, bytes);
        }
        begin(CollectiveKind.ALL_REDUCE, recv.type, op, -1, recv.count);
        try
        {
            if (fromSend)
            {
                selector.allReduce(bytes, size).allReduce(
                    ctx, sendDirect, (int)HostMemory.directOffset(send), work, offset, (int)recv.count, recv.type, op);
            }
            else
            {
                selector.allReduce(bytes, size).allReduce(ctx, work, offset, (int)recv.count, recv.type, op);
            }
            finishAverage(op, work, offset, recv.type, recv.count);
        }
        catch (final CollectiveException ex)
        {
            throw broken(ex);
        }
        finally
        {
            end();
        }
        copyFromWork(work, offset, recv, 0, bytes);
    }

    @Override
    protected void doBroadcast(final BufferRef send, final BufferRef recv, final int root)
    {
        HostCallChecks.broadcast(send, recv, root, size);
        final int bytes = HostCallChecks.bytes(recv.byteLength());
        final ByteBuffer work = workBuffer(recv, bytes);
        final int offset = workOffset(recv, work);
        final boolean inPlace = send.sameRegion(recv);
        // Out of place from a direct buffer the root sends send itself and copies it into recv
        // while its bytes are in flight, instead of copying first; overlapping buffers keep the
        // copy, which is made before any byte is sent.
        final ByteBuffer sendDirect = rank != root || inPlace ? null : HostMemory.directBuffer(send);
        final boolean fromSend = sendDirect != null && HostMemory.directOffset(send) + bytes <= Integer.MAX_VALUE &&
            disjoint(sendDirect, (int)HostMemory.directOffset(send), work, offset, bytes);
        final boolean recvIsWork = work == HostMemory.directBuffer(recv);
        if (rank == root && !fromSend && (!inPlace || !recvIsWork))
        {
            copyToWork(send, work, offset, bytes);
        }
        begin(CollectiveKind.BROADCAST, recv.type, null, root, recv.count);
        try
        {
            final BroadcastAlgorithm algorithm = selector.broadcast(bytes, size);
            if (fromSend && recvIsWork)
            {
                algorithm.broadcast(ctx, sendDirect, (int)HostMemory.directOffset(send), work, offset, bytes, root);
            }
            else
            {
                algorithm.broadcast(ctx, fromSend ? sendDirect : work, fromSend ? (int)HostMemory.directOffset(send) : offset, bytes, root);
            }
        }
        catch (final CollectiveException ex)
        {
            throw broken(ex);
        }
        finally
        {
            end();
        }
        if (fromSend)
        {
            if (!recvIsWork)
            {
                copyFromWork(sendDirect, (int)HostMemory.directOffset(send), recv, 0, bytes);
            }
        }
        else if (rank != root || !inPlace)
        {
            copyFromWork(work, offset, recv, 0, bytes);
        }
    }

    @Override
    protected void doAllGather(final BufferRef send, final BufferRef recv)
    {
        HostCallChecks.allGather(send, recv, size);
        final boolean inPlace = send.sameRegion(recv);
        final long blockCount = inPlace ? recv.count / size : send.count;
        final int bytes = HostCallChecks.bytes(recv.byteLength());
        final int blockBytes = (int)(blockCount * recv.type.size());
        final ByteBuffer work = workBuffer(recv, bytes);
        final int offset = workOffset(recv, work);
        if (inPlace)
        {
            if (work != HostMemory.directBuffer(recv))
            {
                HostMemory.copyIn(recv, (long)rank * blockBytes, work, offset + rank * blockBytes, blockBytes);
            }
        }
        else
        {
            final ByteBuffer sendDirect = HostMemory.directBuffer(send);
            if (sendDirect != null)
            {
                copyDirect(sendDirect, (int)HostMemory.directOffset(send), work, offset + rank * blockBytes, blockBytes);
            }
            else
            {
                HostMemory.copyIn(send, 0, work, offset + rank * blockBytes, blockBytes);
            }
        }
        begin(CollectiveKind.ALL_GATHER, recv.type, null, -1, blockCount);
        try
        {
            selector.allGather(bytes, size).allGather(ctx, work, offset, blockBytes);
        }
        catch (final CollectiveException ex)
        {
            throw broken(ex);
        }
        finally
        {
            end();
        }
        copyFromWork(work, offset, recv, 0, bytes);
    }

    @Override
    protected void doReduceScatter(final BufferRef send, final BufferRef recv, final ReduceOp op)
    {
        HostCallChecks.reduceScatter(send, recv, op, size);
        final boolean inPlace = send.sameRegion(recv);
        final long blockCount = inPlace ? recv.count / size : recv.count;
        final int bytes = HostCallChecks.bytes(send.byteLength());
        final int blockBytes = (int)(blockCount * send.type.size());
        // The algorithm overwrites other blocks, so it always works on a copy of send.
        final ByteBuffer work = ctx.scratch(STAGE_SEND, bytes);
        copyToWork(send, work, 0, bytes);
        begin(CollectiveKind.REDUCE_SCATTER, send.type, op, -1, blockCount);
        try
        {
            selector.reduceScatter(blockBytes, size).reduceScatter(ctx, work, 0, (int)blockCount, send.type, op);
            finishAverage(op, work, rank * blockBytes, send.type, blockCount);
        }
        catch (final CollectiveException ex)
        {
            throw broken(ex);
        }
        finally
        {
            end();
        }
        copyFromWork(work, rank * blockBytes, recv, inPlace ? (long)rank * blockBytes : 0, blockBytes);
    }

    @Override
    protected void doReduce(final BufferRef send, final BufferRef recv, final ReduceOp op, final int root)
    {
        HostCallChecks.op(op);
        HostCallChecks.root(root, size);
        HostCallChecks.host(send, "send");
        HostCallChecks.sameType(send, recv);
        if (rank == root)
        {
            HostCallChecks.host(recv, "recv");
            if (send.count != recv.count)
            {
                throw new IllegalArgumentException("reduce: send count " + send.count + " != recv count " + recv.count);
            }
        }
        final int bytes = HostCallChecks.bytes(send.byteLength());
        final ByteBuffer work = ctx.scratch(STAGE_SEND, bytes);
        copyToWork(send, work, 0, bytes);
        begin(CollectiveKind.REDUCE, send.type, op, root, send.count);
        try
        {
            selector.reduce(bytes, size).reduce(ctx, work, 0, (int)send.count, send.type, op, root);
            if (rank == root)
            {
                finishAverage(op, work, 0, send.type, send.count);
            }
        }
        catch (final CollectiveException ex)
        {
            throw broken(ex);
        }
        finally
        {
            end();
        }
        if (rank == root)
        {
            copyFromWork(work, 0, recv, 0, bytes);
        }
    }

    @Override
    protected void doBarrier()
    {
        begin(CollectiveKind.BARRIER, null, null, -1, 0);
        try
        {
            selector.barrier(size).barrier(ctx);
        }
        catch (final CollectiveException ex)
        {
            throw broken(ex);
        }
        finally
        {
            end();
        }
    }

    private void begin(final CollectiveKind kind, final DataType type, final ReduceOp op, final int root, final long count)
    {
        if (closed)
        {
            throw new IllegalStateException("communicator is closed");
        }
        final CollectiveException failure = transport.failure();
        if (failure != null)
        {
            throw failure;
        }
        sequence++;
        header.collective(communicatorId, sequence, kind, type, op, root, count).chunk(0, 0);
        transport.beginCollective(header, callDeadline(timeout));
    }

    private void end()
    {
        transport.endCollective();
    }

    private CollectiveException broken(final CollectiveException ex)
    {
        transport.fail(ex);
        final CollectiveException first = transport.failure();
        return first != null ? first : ex;
    }

    private void finishAverage(final ReduceOp op, final ByteBuffer work, final int offset, final DataType type, final long count)
    {
        if (op == ReduceOp.AVG && count > 0)
        {
            ctx.kernels().divide(type, BufferUtil.address(work) + offset, count, size);
        }
    }

    /** The caller's direct buffer when usable in place, else the staging buffer. */
    private ByteBuffer workBuffer(final BufferRef ref, final int bytes)
    {
        final ByteBuffer direct = HostMemory.directBuffer(ref);
        if (direct != null && HostMemory.directOffset(ref) + bytes <= Integer.MAX_VALUE)
        {
            return direct;
        }
        return ctx.scratch(STAGE_RECV, bytes);
    }

    private static int workOffset(final BufferRef ref, final ByteBuffer work)
    {
        return work == HostMemory.directBuffer(ref) ? (int)HostMemory.directOffset(ref) : 0;
    }

    private static void copyToWork(final BufferRef from, final ByteBuffer work, final int offset, final int bytes)
    {
        final ByteBuffer direct = HostMemory.directBuffer(from);
        if (direct != null)
        {
            copyDirect(direct, (int)HostMemory.directOffset(from), work, offset, bytes);
        }
        else
        {
            HostMemory.copyIn(from, 0, work, offset, bytes);
        }
    }

    private static void copyFromWork(final ByteBuffer work, final int offset, final BufferRef to, final long toByte, final int bytes)
    {
        final ByteBuffer direct = HostMemory.directBuffer(to);
        if (direct == work && HostMemory.directOffset(to) + toByte == offset)
        {
            return;
        }
        HostMemory.copyOut(work, offset, to, toByte, bytes);
    }

    private static boolean disjoint(final ByteBuffer a, final int aOffset, final ByteBuffer b, final int bOffset, final int bytes)
    {
        final long from = BufferUtil.address(a) + aOffset;
        final long to = BufferUtil.address(b) + bOffset;
        return from + bytes <= to || to + bytes <= from;
    }

    private static void copyDirect(final ByteBuffer src, final int srcOffset, final ByteBuffer dst, final int dstOffset, final int bytes)
    {
        if (src == dst && srcOffset == dstOffset)
        {
            return;
        }
        org.agrona.UnsafeApi.copyMemory(BufferUtil.address(src) + srcOffset, BufferUtil.address(dst) + dstOffset, bytes);
    }

    @Override
    protected void checkCall(final CollectiveKind kind, final BufferRef send, final BufferRef recv, final ReduceOp op, final int root)
    {
        HostCallChecks.call(kind, send, recv, op, root, size);
    }

    @Override
    public Communicator split(final int color, final int key)
    {
        if (subFactory == null)
        {
            throw new UnsupportedOperationException("split: this " + transport.name() + " communicator was built without a sub-communicator factory");
        }
        return CommunicatorSplit.split(this, color, key, splits++, store, subFactory);
    }

    @Override
    public void abort()
    {
        transport.fail(new CommunicatorAbortedException("aborted by rank " + rank + " (Communicator.abort)"));
        stopAsync(transport.failure(), false);
        awaitAsyncStopped();
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        // Pending async calls fail with CommunicatorAbortedException; a running one is unblocked by an abort.
        if (stopAsync(new CommunicatorAbortedException("communicator closed by rank " + rank + " with async calls pending"), true))
        {
            abort();
        }
        awaitAsyncStopped();
        closed = true;
        try
        {
            transport.close();
        }
        finally
        {
            if (store != null)
            {
                store.close();
            }
        }
    }
}
