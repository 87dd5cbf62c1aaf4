package dev.jccl.algo;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;

import java.nio.ByteBuffer;

import static dev.jccl.algo.RecursiveDoublingPattern.hasExtra;
import static dev.jccl.algo.RecursiveDoublingPattern.isExtra;

/**
 * The fold-in and send-back steps that let the power-of-two algorithms (recursive doubling,
 * recursive halving-doubling) run on any world size: with {@code p} the largest power of two
 * {@code <= n}, each extra rank (even, below {@code 2 (n-p)}, see {@link RecursiveDoublingPattern})
 * hands its whole vector to the odd rank above it, sits out, and gets the result back.
 */
final class ExtraRanks
{
    private ExtraRanks()
    {
    }

    /**
     * On an extra rank: sends {@code src} to its host, waits for the result in {@code dst} and
     * returns true (the rank is done). The receive is posted only after the send completed, so in
     * place the buffer is never written while it is read. Other ranks: returns false at once.
     */
    static boolean sitOut(
        final CollectiveContext ctx, final ByteBuffer src, final int srcOffset, final ByteBuffer dst, final int dstOffset,
        final int bytes)
    {
        final int rank = ctx.rank();
        if (!isExtra(rank, ctx.size()))
        {
            return false;
        }
        ctx.p2p().await(Messages.send(ctx, rank + 1, src, srcOffset, 0, bytes));
        ctx.p2p().await(Messages.recv(ctx, rank + 1, dst, dstOffset, 0, bytes));
        return true;
    }

    /**
     * On a host of an extra: receives the extra's vector into scratch slot 0 and stores
     * {@code op(extra's, src)} in {@code dst} (the extra is the lower rank), returning true; the
     * rank's contribution is in {@code dst} from then on. Other ranks: returns false at once.
     */
    static boolean foldIn(
        final CollectiveContext ctx, final ByteBuffer src, final int srcOffset, final ByteBuffer dst, final int dstOffset,
        final int count, final DataType type, final ReduceOp op)
    {
        final int rank = ctx.rank();
        if (!hasExtra(rank, ctx.size()))
        {
            return false;
        }
        final int bytes = Math.multiplyExact(count, type.size());
        final ByteBuffer scratch = ctx.scratch(0, bytes);
        ctx.p2p().await(Messages.recv(ctx, rank - 1, scratch, 0, 0, bytes));
        Messages.reduceInto(ctx, type, op, dst, dstOffset, scratch, 0, src, srcOffset, count);
        return true;
    }

    /** On a host of an extra: sends the result in {@code dst} back to it. Other ranks: nothing. */
    static void sendBack(final CollectiveContext ctx, final ByteBuffer dst, final int dstOffset, final int bytes)
    {
        final int rank = ctx.rank();
        if (hasExtra(rank, ctx.size()))
        {
            ctx.p2p().await(Messages.send(ctx, rank - 1, dst, dstOffset, 0, bytes));
        }
    }
}
