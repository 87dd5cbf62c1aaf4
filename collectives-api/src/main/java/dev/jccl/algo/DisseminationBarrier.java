package dev.jccl.algo;

import java.nio.ByteBuffer;

/** Dissemination barrier: {@code ceil(log2 n)} rounds of zero-length messages, any world size. */
public final class DisseminationBarrier implements BarrierAlgorithm
{
    public static final String NAME = "dissemination";

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public String description()
    {
        return "dissemination: ceil(log2 n) rounds of zero-length messages at doubling distance";
    }

    /*
     * Narrative (see ChainPattern's dissemination maths). In round k rank r signals r + 2^k and
     * waits for the signal of r - 2^k before the next round. After round k a rank has heard,
     * directly or through others, from the 2^(k+1) - 1 ranks below it, so after ceil(log2 n)
     * rounds it knows everyone has entered. Messages carry no data; the round number travels as
     * the chunk offset, so a rank a round ahead or behind is reported as a mismatch.
     */
    @Override
    public void barrier(final CollectiveContext ctx)
    {
        final int n = ctx.size();
        if (n == 1)
        {
            return;
        }
        final int rank = ctx.rank();
        final ByteBuffer empty = Messages.empty(ctx);
        final int rounds = ChainPattern.disseminationRounds(n);
        final long[] sends = ctx.tickets(rounds);
        for (int k = 0; k < rounds; k++)
        {
            sends[k] = Messages.send(ctx, ChainPattern.disseminationTo(rank, k, n), empty, 0, k, 0);
            ctx.p2p().await(Messages.recv(ctx, ChainPattern.disseminationFrom(rank, k, n), empty, 0, k, 0));
        }
        for (int k = 0; k < rounds; k++)
        {
            ctx.p2p().await(sends[k]);
        }
    }
}
