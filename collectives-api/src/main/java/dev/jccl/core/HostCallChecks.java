package dev.jccl.core;

import dev.jccl.MemoryKind;
import dev.jccl.ReduceOp;
import dev.jccl.wire.CollectiveKind;

/**
 * The argument checks of {@link HostCommunicator}'s calls, shared by the blocking calls (just
 * before their I/O) and the async ones (at the call, before queueing). Each throws
 * {@link IllegalArgumentException} naming what is wrong.
 */
final class HostCallChecks
{
    /** Largest message the host transports move in one call. */
    static final long MAX_BYTES = Integer.MAX_VALUE - 64;

    private HostCallChecks()
    {
    }

    /** The checks of {@code kind}'s call (the collectives that have async forms). */
    static void call(final CollectiveKind kind, final BufferRef send, final BufferRef recv, final ReduceOp op, final int root, final int size)
    {
        switch (kind)
        {
            case ALL_REDUCE:
                allReduce(send, recv, op);
                break;
            case BROADCAST:
                broadcast(send, recv, root, size);
                break;
            case ALL_GATHER:
                allGather(send, recv, size);
                break;
            case REDUCE_SCATTER:
                reduceScatter(send, recv, op, size);
                break;
            default:
                throw new IllegalArgumentException("no async form of " + kind.apiName());
        }
    }

    static void allReduce(final BufferRef send, final BufferRef recv, final ReduceOp op)
    {
        op(op);
        host(send, "send");
        host(recv, "recv");
        sameType(send, recv);
        if (send.count != recv.count)
        {
            throw new IllegalArgumentException("allReduce: send count " + send.count + " != recv count " + recv.count);
        }
        bytes(recv.byteLength());
    }

    static void broadcast(final BufferRef send, final BufferRef recv, final int root, final int size)
    {
        root(root, size);
        host(send, "send");
        host(recv, "recv");
        sameType(send, recv);
        if (send.count != recv.count)
        {
            throw new IllegalArgumentException("broadcast: send count " + send.count + " != recv count " + recv.count);
        }
        bytes(recv.byteLength());
    }

    static void allGather(final BufferRef send, final BufferRef recv, final int size)
    {
        host(send, "send");
        host(recv, "recv");
        sameType(send, recv);
        final boolean inPlace = send.sameRegion(recv);
        final long blockCount = inPlace ? recv.count / size : send.count;
        if (inPlace && recv.count % size != 0)
        {
            throw new IllegalArgumentException("allGather in place: count " + recv.count + " is not a multiple of the " + size + " ranks");
        }
        if (recv.count != blockCount * size)
        {
            throw new IllegalArgumentException("allGather: recv count " + recv.count + " must be " + size + " x send count " + send.count);
        }
        bytes(recv.byteLength());
    }

    static void reduceScatter(final BufferRef send, final BufferRef recv, final ReduceOp op, final int size)
    {
        op(op);
        host(send, "send");
        host(recv, "recv");
        sameType(send, recv);
        final boolean inPlace = send.sameRegion(recv);
        if (inPlace && recv.count % size != 0)
        {
            throw new IllegalArgumentException("reduceScatter in place: count " + recv.count + " is not a multiple of the " + size + " ranks");
        }
        final long blockCount = inPlace ? recv.count / size : recv.count;
        if (send.count != blockCount * size)
        {
            throw new IllegalArgumentException("reduceScatter: send count " + send.count + " must be " + size + " x recv count " + recv.count);
        }
        bytes(send.byteLength());
    }

    static void root(final int root, final int size)
    {
        if (root < 0 || root >= size)
        {
            throw new IllegalArgumentException("root " + root + " out of range [0, " + size + ")");
        }
    }

    static void op(final ReduceOp op)
    {
        if (op == null)
        {
            throw new IllegalArgumentException("reduce op is null");
        }
    }

    static void host(final BufferRef ref, final String which)
    {
        if (ref.kind == MemoryKind.DEVICE)
        {
            throw new IllegalArgumentException(which + " buffer is CUDA device memory: host transports cannot move it; " +
                "use JCCL_TRANSPORT=nccl (or auto on a GPU machine)");
        }
        if (ref.count < 0)
        {
            throw new IllegalArgumentException(which + " count < 0: " + ref.count);
        }
    }

    static void sameType(final BufferRef send, final BufferRef recv)
    {
        if (send.type != recv.type)
        {
            throw new IllegalArgumentException("send type " + send.type + " differs from recv type " + recv.type);
        }
    }

    static int bytes(final long bytes)
    {
        if (bytes > MAX_BYTES)
        {
            throw new IllegalArgumentException("message of " + bytes + " bytes exceeds the host transports' limit of " + MAX_BYTES + " bytes per call");
        }
        return (int)bytes;
    }
}
