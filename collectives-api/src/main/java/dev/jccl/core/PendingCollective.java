package dev.jccl.core;

import dev.jccl.MemoryKind;
import dev.jccl.ReduceOp;
import dev.jccl.wire.CollectiveKind;

import java.util.concurrent.CompletableFuture;

/**
 * One async call waiting in, or running from, a {@link CollectiveQueue}: its own snapshot of the
 * arguments (the communicator's reusable refs belong to the blocking calls) and its future.
 */
final class PendingCollective
{
    /** The communicator (or timeout view) the call was made on: it runs the call. */
    final OrderedCommunicator target;
    final CollectiveKind kind;
    final BufferRef send;
    final BufferRef recv;
    final ReduceOp op;
    final int root;
    final CompletableFuture<Void> future = new CompletableFuture<>();

    /** @param recv the same ref as {@code send} for the in-place forms. */
    PendingCollective(
        final OrderedCommunicator target, final CollectiveKind kind, final BufferRef send, final BufferRef recv, final ReduceOp op, final int root)
    {
        this.target = target;
        this.kind = kind;
        this.send = send;
        this.recv = recv;
        this.op = op;
        this.root = root;
    }

    /**
     * Whether a call reading {@code read} and writing {@code write} would race with this one: it
     * writes memory this call uses, or reads memory this call writes. Memory is compared by
     * identity and byte range, so different views of one region go unnoticed (the cheap check).
     */
    boolean conflictsWith(final BufferRef read, final BufferRef write)
    {
        return overlaps(write, recv) || overlaps(write, send) || overlaps(read, recv);
    }

    private static boolean overlaps(final BufferRef a, final BufferRef b)
    {
        if (a == null || b == null || a.memory == null || a.memory != b.memory || a.kind == MemoryKind.DEVICE)
        {
            return false;
        }
        final long aEnd = a.byteOffset + a.byteLength();
        final long bEnd = b.byteOffset + b.byteLength();
        return a.byteOffset < bEnd && b.byteOffset < aEnd;
    }

    /** Runs the call on {@code comm}'s core operations (the progress thread does). */
    void runOn(final OrderedCommunicator comm)
    {
        switch (kind)
        {
            case ALL_REDUCE:
                comm.doAllReduce(send, recv, op);
                break;
            case BROADCAST:
                comm.doBroadcast(send, recv, root);
                break;
            case ALL_GATHER:
                comm.doAllGather(send, recv);
                break;
            case REDUCE_SCATTER:
                comm.doReduceScatter(send, recv, op);
                break;
            default:
                throw new IllegalStateException("no async form of " + kind.apiName());
        }
    }

    String describe()
    {
        return kind.apiName() + "Async(" + send.kind + " " + send.type + " x " + send.count + ")";
    }
}
