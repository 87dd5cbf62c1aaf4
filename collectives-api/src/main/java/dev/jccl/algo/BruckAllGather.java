package dev.jccl.algo;

import java.nio.ByteBuffer;

import static dev.jccl.algo.BruckPattern.*;

/** Bruck's allgather for small blocks: {@code ceil(log2 n)} steps for any world size, in place. */
public final class BruckAllGather implements AllGatherAlgorithm
{
    public static final String NAME = "bruck";

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public String description()
    {
        return "Bruck: ceil(log2 n) steps of doubling distance, any world size, latency-optimal for small blocks";
    }

    /*
     * Narrative (see BruckPattern). In step s, with d = 2^s, rank r holds blocks r .. r+d-1 (mod
     * n). It sends the first min(d, n-d) of them to r-d and receives as many from r+d, which are
     * blocks r+d, ...: the sender's own first blocks. So every message lands at its block's final
     * place in the caller's buffer and no rotation or scratch is needed; a run that wraps past the
     * last block goes as two messages, split at the same block on both sides. Sends read only
     * blocks that are already final and receives write only blocks still missing, so one step's
     * sends may stay in flight while the next step runs; all are awaited at the end.
     */
    @Override
    public void allGather(final CollectiveContext ctx, final ByteBuffer buffer, final int offset, final int blockLength)
    {
        final int n = ctx.size();
        if (n == 1 || blockLength == 0)
        {
            return;
        }
        final int rank = ctx.rank();
        final long bl = blockLength;
        final int steps = steps(n);
        final long[] sends = ctx.tickets(2 * steps);
        int sent = 0;
        for (int s = 0; s < steps; s++)
        {
            final int blocks = blocks(s, n);
            final int to = sendPeer(rank, s, n);
            final int from = recvPeer(rank, s, n);

            final int sendFirst = sendFirstBlock(rank);
            final int sendPiece = firstPieceBlocks(sendFirst, blocks, n);
            sends[sent++] = Messages.send(ctx, to, buffer, offset + (int)(sendFirst * bl), sendFirst * bl, (int)(sendPiece * bl));
            if (sendPiece < blocks)
            {
                sends[sent++] = Messages.send(ctx, to, buffer, offset, 0, (int)((blocks - sendPiece) * bl));
            }

            final int recvFirst = recvFirstBlock(rank, s, n);
            final int recvPiece = firstPieceBlocks(recvFirst, blocks, n);
            final long r1 = Messages.recv(ctx, from, buffer, offset + (int)(recvFirst * bl), recvFirst * bl, (int)(recvPiece * bl));
            if (recvPiece < blocks)
            {
                final long r2 = Messages.recv(ctx, from, buffer, offset, 0, (int)((blocks - recvPiece) * bl));
                ctx.p2p().await(r1);
                ctx.p2p().await(r2);
            }
            else
            {
                ctx.p2p().await(r1);
            }
        }
        for (int i = 0; i < sent; i++)
        {
            ctx.p2p().await(sends[i]);
        }
    }
}
