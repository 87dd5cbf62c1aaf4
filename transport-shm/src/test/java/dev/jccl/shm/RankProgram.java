package dev.jccl.shm;

import dev.jccl.Communicator;
import dev.jccl.Jccl;
import dev.jccl.ReduceOp;

import java.util.Arrays;

/**
 * A rank as a separate JVM: joins through {@link Jccl#init()} from whatever environment the test
 * set (torchrun or Open MPI style), runs every collective, checks each result against values
 * computed here independently, and exits 0 only when all match.
 */
public final class RankProgram
{
    private RankProgram()
    {
    }

    public static void main(final String[] args)
    {
        try (Communicator comm = Jccl.init())
        {
            final int rank = comm.rank();
            final int size = comm.size();
            final int count = 10_007;

            final float[] grad = new float[count];
            for (int i = 0; i < count; i++)
            {
                grad[i] = rank + i % 17;
            }
            comm.allReduce(grad, ReduceOp.SUM);
            for (int i = 0; i < count; i++)
            {
                final float expected = size * (i % 17) + size * (size - 1) / 2f;
                check(grad[i] == expected, "allReduce", i, expected, grad[i]);
            }

            final long[] weights = new long[count];
            if (rank == size - 1)
            {
                Arrays.setAll(weights, i -> 3L * i);
            }
            comm.broadcast(weights, size - 1);
            for (int i = 0; i < count; i++)
            {
                check(weights[i] == 3L * i, "broadcast", i, 3L * i, weights[i]);
            }

            final int[] mine = new int[count];
            Arrays.fill(mine, rank * 10);
            final int[] all = new int[count * size];
            comm.allGather(mine, all);
            for (int i = 0; i < all.length; i++)
            {
                check(all[i] == (i / count) * 10, "allGather", i, (i / count) * 10, all[i]);
            }

            final double[] send = new double[count * size];
            Arrays.setAll(send, i -> i + rank);
            final double[] block = new double[count];
            comm.reduceScatter(send, block, ReduceOp.MAX);
            for (int i = 0; i < count; i++)
            {
                final double expected = rank * count + i + size - 1;
                check(block[i] == expected, "reduceScatter", i, expected, block[i]);
            }

            final byte[] bytes = new byte[count];
            Arrays.fill(bytes, (byte)1);
            final byte[] total = new byte[count];
            comm.reduce(bytes, total, ReduceOp.SUM, 0);
            if (rank == 0)
            {
                for (int i = 0; i < count; i++)
                {
                    check(total[i] == size, "reduce", i, size, total[i]);
                }
            }

            comm.barrier();
            System.out.println("rank " + rank + " of " + size + " OK over " + comm.transportName());
        }
    }

    private static void check(final boolean ok, final String what, final int index, final Object expected, final Object actual)
    {
        if (!ok)
        {
            System.err.println(what + " wrong at " + index + ": expected " + expected + " got " + actual);
            System.exit(3);
        }
    }
}
