package dev.jccl.nccl;

import dev.jccl.ReduceOp;
import dev.jccl.core.BufferRef;

/**
 * The checks every collective makes before any CUDA or NCCL call: types and ops through
 * {@link NcclTypes}, counts against NCCL's layouts, roots. Bad input fails here with
 * {@link IllegalArgumentException} on the calling rank, never inside NCCL, where a mismatch would
 * hang or corrupt other ranks. Counts are elements; the block count of allgather and
 * reduce-scatter is what each rank contributes or receives, as NCCL counts it.
 */
final class CollectiveArguments
{
    private CollectiveArguments()
    {
    }

    static void allReduce(final BufferRef send, final BufferRef recv, final ReduceOp op, final int ncclVersion)
    {
        checkSameType(send, recv);
        NcclTypes.check(recv.type(), op, ncclVersion);
        checkCount(send, "send");
        checkCount(recv, "recv");
        if (send.count() != recv.count())
        {
            throw new IllegalArgumentException("allReduce: send count " + send.count() + " != recv count " + recv.count());
        }
    }

    static void broadcast(final BufferRef send, final BufferRef recv, final int root, final int size, final int ncclVersion)
    {
        checkSameType(send, recv);
        NcclTypes.check(recv.type(), ncclVersion);
        checkRoot(root, size);
        checkCount(send, "send");
        checkCount(recv, "recv");
        if (send.count() != recv.count())
        {
            throw new IllegalArgumentException("broadcast: send count " + send.count() + " != recv count " + recv.count());
        }
    }

    /** Checks an allgather and returns its block count (NCCL's sendcount): in place, the buffer's count / ranks. */
    static long allGatherBlockCount(final BufferRef send, final BufferRef recv, final int size, final int ncclVersion)
    {
        checkSameType(send, recv);
        NcclTypes.check(recv.type(), ncclVersion);
        checkCount(send, "send");
        checkCount(recv, "recv");
        final boolean inPlace = send.sameRegion(recv);
        if (inPlace && recv.count() % size != 0)
        {
            throw new IllegalArgumentException("allGather in place: count " + recv.count() + " is not a multiple of the " + size + " ranks");
        }
        final long blockCount = inPlace ? recv.count() / size : send.count();
        if (recv.count() != blockCount * size)
        {
            throw new IllegalArgumentException("allGather: recv count " + recv.count() + " must be " + size + " x send count " + send.count());
        }
        return blockCount;
    }

    /** Checks a reduce-scatter and returns its block count (NCCL's recvcount): in place, the buffer's count / ranks. */
    static long reduceScatterBlockCount(final BufferRef send, final BufferRef recv, final ReduceOp op, final int size, final int ncclVersion)
    {
        checkSameType(send, recv);
        NcclTypes.check(send.type(), op, ncclVersion);
        checkCount(send, "send");
        checkCount(recv, "recv");
        final boolean inPlace = send.sameRegion(recv);
        if (inPlace && recv.count() % size != 0)
        {
            throw new IllegalArgumentException("reduceScatter in place: count " + recv.count() + " is not a multiple of the " + size + " ranks");
        }
        final long blockCount = inPlace ? recv.count() / size : recv.count();
        if (send.count() != blockCount * size)
        {
            throw new IllegalArgumentException("reduceScatter: send count " + send.count() + " must be " + size + " x recv count " + recv.count());
        }
        return blockCount;
    }

    /** Recv is checked on the root only: NCCL reads it nowhere else. */
    static void reduce(
        final BufferRef send, final BufferRef recv, final ReduceOp op, final int root, final boolean isRoot, final int size, final int ncclVersion)
    {
        checkSameType(send, recv);
        NcclTypes.check(send.type(), op, ncclVersion);
        checkRoot(root, size);
        checkCount(send, "send");
        if (isRoot)
        {
            checkCount(recv, "recv");
            if (send.count() != recv.count())
            {
                throw new IllegalArgumentException("reduce: send count " + send.count() + " != recv count " + recv.count());
            }
        }
    }

    private static void checkRoot(final int root, final int size)
    {
        if (root < 0 || root >= size)
        {
            throw new IllegalArgumentException("root " + root + " out of range [0, " + size + ")");
        }
    }

    private static void checkCount(final BufferRef ref, final String which)
    {
        if (ref.count() < 0)
        {
            throw new IllegalArgumentException(which + " count < 0: " + ref.count());
        }
    }

    private static void checkSameType(final BufferRef send, final BufferRef recv)
    {
        if (send.type() != recv.type())
        {
            throw new IllegalArgumentException("send type " + send.type() + " differs from recv type " + recv.type());
        }
    }
}
