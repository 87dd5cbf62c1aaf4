package dev.jccl.nccl;

import dev.jccl.Communicator;
import dev.jccl.Jccl;
import dev.jccl.ReduceOp;

/**
 * A user program in a fresh JVM: {@code Jccl.init()} from the environment, then a float allreduce.
 * Exceptions propagate exactly as they would in user code.
 */
public final class InitMain
{
    private InitMain()
    {
    }

    public static void main(final String[] args)
    {
        try (Communicator comm = Jccl.init())
        {
            final float[] values = { 1.5f, 2.5f, comm.rank() };
            comm.allReduce(values, ReduceOp.SUM);
            System.out.println("transport=" + comm.transportName() + " rank=" + comm.rank() + " size=" + comm.size() +
                " result=" + values[0] + "," + values[1] + "," + values[2]);
        }
    }
}
