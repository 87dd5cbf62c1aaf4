package dev.jccl.bench;

import dev.jccl.CommBuffer;
import dev.jccl.Communicator;

import java.nio.ByteBuffer;

/**
 * reduce_scatter: block r of the reduction lands on rank r. The size is each rank's input, the
 * count column each rank's share (as nccl-tests). busbw = algbw x (n-1)/n.
 */
public final class ReduceScatterColl implements PerfColl
{
    @Override
    public String name()
    {
        return "reduce_scatter";
    }

    @Override
    public String algoKey()
    {
        return "reducescatter";
    }

    @Override
    public boolean reduces()
    {
        return true;
    }

    @Override
    public boolean rooted()
    {
        return false;
    }

    @Override
    public Counts counts(final long bytes, final int typeSize, final int nranks)
    {
        final long block = bytes / typeSize / nranks;
        return new Counts(block * nranks, block, block);
    }

    @Override
    public double busBwFactor(final int nranks)
    {
        return (double)(nranks - 1) / nranks;
    }

    @Override
    public void initData(final CollArgs a, final int seed)
    {
        final DataPattern p = a.pattern(true, seed);
        final ByteBuffer in = a.inPlace() ? a.recvView() : a.sendView();
        for (long j = 0; j < a.counts().sendCount(); j++)
        {
            Elements.putBits(in, a.type(), j, p.bits(a.rank(), j));
        }
    }

    @Override
    public Runnable prepare(final Communicator comm, final CollArgs a)
    {
        if (a.inPlace())
        {
            final CommBuffer buffer = a.recvBuffer(a.counts().sendCount());
            return () -> comm.reduceScatter(buffer, a.op());
        }
        final CommBuffer send = a.sendBuffer(a.counts().sendCount());
        final CommBuffer recv = a.recvBuffer(a.counts().recvCount());
        return () -> comm.reduceScatter(send, recv, a.op());
    }

    @Override
    public long check(final CollArgs a, final int seed)
    {
        final DataPattern p = a.pattern(true, seed);
        final long block = a.counts().recvCount();
        final long base = a.rank() * block;
        final long outBase = a.inPlace() ? base : 0;
        final ByteBuffer out = a.recvView();
        long wrong = 0;
        for (long i = 0; i < block; i++)
        {
            if (!p.reducedMatches(Elements.getBits(out, a.type(), outBase + i), base + i))
            {
                wrong++;
            }
        }
        return wrong;
    }
}
