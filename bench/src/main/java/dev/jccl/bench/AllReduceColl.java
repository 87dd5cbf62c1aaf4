package dev.jccl.bench;

import dev.jccl.CommBuffer;
import dev.jccl.Communicator;

import java.nio.ByteBuffer;

/** all_reduce: every rank ends with the reduction of every rank's buffer. busbw = algbw x 2(n-1)/n. */
public final class AllReduceColl implements PerfColl
{
    @Override
    public String name()
    {
        return "all_reduce";
    }

    @Override
    public String algoKey()
    {
        return "allreduce";
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
        final long count = bytes / typeSize;
        return new Counts(count, count, count);
    }

    @Override
    public double busBwFactor(final int nranks)
    {
        return 2.0 * (nranks - 1) / nranks;
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
            return () -> comm.allReduce(recv, a.op());
        }
        final CommBuffer send = a.sendBuffer(count);
        return () -> comm.allReduce(send, recv, a.op());
    }

    @Override
    public long check(final CollArgs a, final int seed)
    {
        final DataPattern p = a.pattern(true, seed);
        final ByteBuffer out = a.recvView();
        long wrong = 0;
        for (long j = 0; j < a.counts().paramCount(); j++)
        {
            if (!p.reducedMatches(Elements.getBits(out, a.type(), j), j))
            {
                wrong++;
            }
        }
        return wrong;
    }
}
