package dev.jccl.launcher;

import dev.jccl.Communicator;
import dev.jccl.Jccl;
import dev.jccl.ReduceOp;

/**
 * A rank program for launcher tests: joins through {@link Jccl#init()} from the environment
 * jcclrun set, allreduces a vector (1000 floats, or the count given as the argument), checks the
 * sum, and exits 0 only when it is right; prints the transport it got.
 */
public final class AllReduceRank
{
    private AllReduceRank()
    {
    }

    public static void main(final String[] args)
    {
        try (Communicator comm = Jccl.init())
        {
            final int rank = comm.rank();
            final int size = comm.size();
            final float[] v = new float[args.length > 0 ? Integer.parseInt(args[0]) : 1000];
            System.out.println("rank " + rank + " transport " + comm.transportName());
            java.util.Arrays.fill(v, rank + 1);
            comm.allReduce(v, ReduceOp.SUM);
            final float expected = size * (size + 1) / 2f;
            for (final float x : v)
            {
                if (x != expected)
                {
                    System.out.println("rank " + rank + " allreduce WRONG: " + x + " != " + expected);
                    System.exit(1);
                }
            }
            System.out.println("rank " + rank + " of " + size + " allreduce ok " + expected);
        }
    }
}
