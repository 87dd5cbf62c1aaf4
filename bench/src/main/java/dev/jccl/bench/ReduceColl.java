package dev.jccl.bench;

import dev.jccl.CommBuffer;
import dev.jccl.Communicator;

import java.nio.ByteBuffer;

/**
 * reduce: the reduction of every rank's buffer on the root. busbw = algbw. The check reads the
 * root's result and, out of place, that the other ranks' receive buffers were left untouched.
 */
public final class ReduceColl implements PerfColl
{
    @Override
    public String name()
    {
        return "reduce";
    }

    @Override
    public String algoKey()
    {
        return "reduce";
    }

    @Override
    public boolean reduces()
    {
        return true;
    }

    @Override
    public boolean rooted()
    {
        return true;
    }

    @Override
    public Counts counts(final long bytes, final int typeSize, final int nranks)
    {
        final long count = bytes / typeSize;
        return new Counts(count, count, count);
    }

    @Override
    public double busBwFactor(final int nranks)
    {
        return 1.0;
    }

    @Override
    public void initData(final CollArgs a, final int seed)
    {
        final DataPattern p = a.pattern(true, seed);
        final ByteBuffer in = a.inPlace() ? a.recvView() : a.sendView();
        for (long j = 0; j < a.counts().paramCount(); j++)
        {
            Elements.putBits(in, a.type(), j, p.bits(a.rank(), j));
        }
    }

    @Override
    public Runnable prepare(final Communicator comm, final CollArgs a)
    {
        final long count = a.counts().paramCount();
        final CommBuffer recv = a.recvBuffer(count);
        if (a.inPlace())
        {
            return () -> comm.reduce(recv, a.op(), a.root());
        }
        final CommBuffer send = a.sendBuffer(count);
        return () -> comm.reduce(send, recv, a.op(), a.root());
    }

    @Override
    public long check(final CollArgs a, final int seed)
    {
        final ByteBuffer out = a.recvView();
        final long count = a.counts().paramCount();
        long wrong = 0;
        if (a.rank() == a.root())
        {
            final DataPattern p = a.pattern(true, seed);
            for (long j = 0; j < count; j++)
            {
                if (!p.reducedMatches(Elements.getBits(out, a.type(), j), j))
                {
                    wrong++;
                }
            }
        }
        else if (!a.inPlace())
        {
            final long poison = Elements.getBits(allOnes(), a.type(), 0);
            for (long j = 0; j < count; j++)
            {
                if (Elements.getBits(out, a.type(), j) != poison)
                {
                    wrong++;
                }
            }
        }
        return wrong;
    }

    private static ByteBuffer allOnes()
    {
        final ByteBuffer b = ByteBuffer.allocate(8);
        b.putLong(0, -1L);
        return b;
    }
}
