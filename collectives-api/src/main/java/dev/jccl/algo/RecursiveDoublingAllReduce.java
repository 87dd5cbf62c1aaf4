package dev.jccl.algo;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;

import java.nio.ByteBuffer;

import static dev.jccl.algo.RecursiveDoublingPattern.*;

/**
 * Recursive-doubling allreduce for small messages: {@code log2 p} exchanges of the whole vector,
 * plus one fold-in and one send-back step when the world size is not a power of two.
 */
public final class RecursiveDoublingAllReduce implements AllReduceAlgorithm
{
    public static final String NAME = "rd";

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public String description()
    {
        return "recursive doubling (any size: extras fold in first), latency-optimal for small messages";
    }

    /*
     * Narrative (see RecursiveDoublingPattern for the rank maths).
     *
     * Fold-in: with p the largest power of two <= n and rem = n - p, each even rank below 2*rem
     * sends its vector to the odd rank above it and waits; the odd rank combines op(extra, own).
     *
     * Exchange: the p remaining ranks swap whole vectors with the partner at distance 2^s in new
     * rank order, s = 0 .. log2(p)-1, receiving into scratch slot 0. Both partners compute
     * op(lower rank's vector, higher rank's vector), with identical operands in identical order,
     * so after every step they hold identical bytes: the result is bit-identical on every rank,
     * for floats and NaN payloads too. Our own send must complete before the buffer is overwritten.
     *
     * Send-back: each odd rank below 2*rem sends the result to its extra, which receives it only
     * after its own send completed, so its buffer is never written while being read.
     */
    @Override
    public void allReduce(
        final CollectiveContext ctx, final ByteBuffer buffer, final int offset, final int count,
        final DataType type, final ReduceOp op)
    {
        final int n = ctx.size();
        if (n == 1 || count == 0)
        {
            return;
        }
        final int rank = ctx.rank();
        final int bytes = Math.multiplyExact(count, type.size());

        if (isExtra(rank, n))
        {
            ctx.p2p().await(Messages.send(ctx, rank + 1, buffer, offset, 0, bytes));
            ctx.p2p().await(Messages.recv(ctx, rank + 1, buffer, offset, 0, bytes));
            return;
        }

        final ByteBuffer scratch = ctx.scratch(0, bytes);
        if (hasExtra(rank, n))
        {
            ctx.p2p().await(Messages.recv(ctx, rank - 1, scratch, 0, 0, bytes));
            Messages.reduceIntoSwapped(ctx, type, op, buffer, offset, scratch, 0, count);
        }

        final int steps = steps(n);
        for (int s = 0; s < steps; s++)
        {
            final int partner = partner(rank, s, n);
            final long sendTicket = Messages.send(ctx, partner, buffer, offset, 0, bytes);
            final long recvTicket = Messages.recv(ctx, partner, scratch, 0, 0, bytes);
            ctx.p2p().await(recvTicket);
            ctx.p2p().await(sendTicket);
            if (partner < rank)
            {
                Messages.reduceIntoSwapped(ctx, type, op, buffer, offset, scratch, 0, count);
            }
            else
            {
                Messages.reduceInto(ctx, type, op, buffer, offset, scratch, 0, count);
            }
        }

        if (hasExtra(rank, n))
        {
            ctx.p2p().await(Messages.send(ctx, rank - 1, buffer, offset, 0, bytes));
        }
    }
}
