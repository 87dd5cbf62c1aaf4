package dev.jccl.bench;

import dev.jccl.CommBuffer;
import dev.jccl.Communicator;

import java.nio.ByteBuffer;

/** broadcast: the root's buffer to every rank. busbw = algbw. */
public final class BroadcastColl implements PerfColl
{
    @Override
    public String name()
    {
        return "broadcast";
    }

    @Override
    public String algoKey()
    {
        return "broadcast";
    }

    @Override
    public boolean reduces()
    {
        return false;
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
        if (a.inPlace() && a.rank() != a.root())
        {
            // stays 0xFF: the broadcast must overwrite it
            return;
        }
        final DataPattern p = a.pattern(false, seed);
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
            return () -> comm.broadcast(recv, a.root());
        }
        final CommBuffer send = a.sendBuffer(count);
        return () -> comm.broadcast(send, recv, a.root());
    }

    @Override
    public long check(final CollArgs a, final int seed)
    {
        final DataPattern p = a.pattern(false, seed);
        final ByteBuffer out = a.recvView();
        long wrong = 0;
        for (long j = 0; j < a.counts().paramCount(); j++)
        {
            if (Elements.getBits(out, a.type(), j) != p.bits(a.root(), j))
            {
                wrong++;
            }
        }
        return wrong;
    }
}
