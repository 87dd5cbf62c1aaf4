package dev.jccl.bench;

import dev.jccl.CommBuffer;
import dev.jccl.DataType;
import dev.jccl.ReduceOp;

import java.nio.ByteBuffer;

/**
 * What one measurement point hands to a {@link PerfColl}: this rank, the type/op/root, the counts
 * for the size, the memory, and whether the in-place form runs.
 */
public final class CollArgs
{
    final int rank;
    final int nranks;
    final DataType type;
    final ReduceOp op;
    final int root;
    final PerfColl.Counts counts;
    final boolean inPlace;
    final PerfBuffers send;
    final PerfBuffers recv;

    public CollArgs(
        final int rank, final int nranks, final DataType type, final ReduceOp op, final int root,
        final PerfColl.Counts counts, final boolean inPlace, final PerfBuffers send, final PerfBuffers recv)
    {
        this.rank = rank;
        this.nranks = nranks;
        this.type = type;
        this.op = op;
        this.root = root;
        this.counts = counts;
        this.inPlace = inPlace;
        this.send = send;
        this.recv = recv;
    }

    public int rank()
    {
        return rank;
    }

    public int nranks()
    {
        return nranks;
    }

    public DataType type()
    {
        return type;
    }

    public ReduceOp op()
    {
        return op;
    }

    public int root()
    {
        return root;
    }

    public PerfColl.Counts counts()
    {
        return counts;
    }

    public boolean inPlace()
    {
        return inPlace;
    }

    public ByteBuffer sendView()
    {
        return send.view();
    }

    public ByteBuffer recvView()
    {
        return recv.view();
    }

    public CommBuffer sendBuffer(final long count)
    {
        return send.commBuffer(type, count);
    }

    public CommBuffer recvBuffer(final long count)
    {
        return recv.commBuffer(type, count);
    }

    /** The pattern for check iteration {@code seed} (op null for collectives that only move data). */
    public DataPattern pattern(final boolean reduces, final int seed)
    {
        return new DataPattern(type, reduces ? op : null, nranks, seed);
    }
}
