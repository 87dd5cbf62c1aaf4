package dev.jccl.bench;

import dev.jccl.CommBuffer;
import dev.jccl.Communicator;

import java.nio.ByteBuffer;

/**
 * all_gather: rank r's block lands at block r of every rank. The size is the gathered total, the
 * count column each rank's share (as nccl-tests). busbw = algbw x (n-1)/n.
 */
public final class AllGatherColl implements PerfColl
{
    @Override
    public String name()
    {
        return "all_gather";
    }

    @Override
    public String algoKey()
    {
        return "allgather";
    }

    @Override
    public boolean reduces()
    {
        return false;
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
        return new Counts(block, block * nranks, block);
    }

    @Override
    public double busBwFactor(final int nranks)
    {
        return (double)(nranks - 1) / nranks;
    }

    @Override
    public void initData(final CollArgs a, final int seed)
    {
        final DataPattern p = a.pattern(false, seed);
        final long block = a.counts().paramCount();
        final long base = a.rank() * block;
        if (a.inPlace())
        {
            final ByteBuffer in = a.recvView();
            for (long i = 0; i < block; i++)
            {
                Elements.putBits(in, a.type(), base + i, p.bits(a.rank(), base + i));
            }
        }
        else
        {
            final ByteBuffer in = a.sendView();
            for (long i = 0; i < block; i++)
            {
                Elements.putBits(in, a.type(), i, p.bits(a.rank(), base + i));
            }
        }
    }

    @Override
    public Runnable prepare(final Communicator comm, final CollArgs a)
    {
        final CommBuffer recv = a.recvBuffer(a.counts().recvCount());
        if (a.inPlace())
        {
            return () -> comm.allGather(recv);
        }
        final CommBuffer send = a.sendBuffer(a.counts().sendCount());
        return () -> comm.allGather(send, recv);
    }

    @Override
    public long check(final CollArgs a, final int seed)
    {
        final DataPattern p = a.pattern(false, seed);
        final long block = a.counts().paramCount();
        final ByteBuffer out = a.recvView();
        long wrong = 0;
        for (long j = 0; j < a.counts().recvCount(); j++)
        {
            if (Elements.getBits(out, a.type(), j) != p.bits((int)(j / block), j))
            {
                wrong++;
            }
        }
        return wrong;
    }
}
