package dev.jccl.bench;

import dev.jccl.Communicator;

/** barrier: latency only; one row of size 0, no type, no op. */
public final class BarrierColl implements PerfColl
{
    @Override
    public String name()
    {
        return "barrier";
    }

    @Override
    public String algoKey()
    {
        return "barrier";
    }

    @Override
    public boolean movesData()
    {
        return false;
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
        return new Counts(0, 0, 0);
    }

    @Override
    public double busBwFactor(final int nranks)
    {
        return 0;
    }

    @Override
    public void initData(final CollArgs args, final int seed)
    {
    }

    @Override
    public Runnable prepare(final Communicator comm, final CollArgs args)
    {
        return comm::barrier;
    }

    @Override
    public long check(final CollArgs args, final int seed)
    {
        return 0;
    }
}
