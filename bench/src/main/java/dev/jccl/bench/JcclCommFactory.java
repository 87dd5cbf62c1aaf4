package dev.jccl.bench;

import dev.jccl.Communicator;
import dev.jccl.algo.Algorithm;

import java.util.List;
import java.util.Map;

/** Communicators from JCCL itself: Jccl.init over the environment, or N threads over a loopback store. */
public final class JcclCommFactory implements CommFactory
{
    @Override
    public ThreadedJob threaded(
        final int nranks, final PerfOptions options, final PerfColl coll, final PerfOptions.Variant variant, final int variantIndex)
    {
        throw new UnsupportedOperationException("Jccl.init is not wired on this branch yet");
    }

    @Override
    public Communicator process(final PerfOptions options, final PerfColl coll, final PerfOptions.Variant variant, final int variantIndex)
    {
        throw new UnsupportedOperationException("Jccl.init is not wired on this branch yet");
    }

    @Override
    public Map<String, List<Algorithm>> algorithms()
    {
        return Map.of();
    }
}
