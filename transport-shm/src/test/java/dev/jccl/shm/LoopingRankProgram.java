package dev.jccl.shm;

import dev.jccl.CollectiveException;
import dev.jccl.Communicator;
import dev.jccl.Jccl;
import dev.jccl.PeerFailureException;
import dev.jccl.ReduceOp;

/**
 * A rank that allreduces in a loop until told otherwise by a failure: prints "ready" after the
 * first call, and on a failure prints the exception's class, the failed rank and the time since
 * its last successful call, then exits 4.
 */
public final class LoopingRankProgram
{
    private LoopingRankProgram()
    {
    }

    public static void main(final String[] args)
    {
        final Communicator comm = Jccl.init();
        final float[] data = new float[64 * 1024];
        long lastOk = System.nanoTime();
        try
        {
            for (long i = 0; i < 10_000_000; i++)
            {
                comm.allReduce(data, ReduceOp.SUM);
                java.util.Arrays.fill(data, 1f);
                lastOk = System.nanoTime();
                if (i == 0)
                {
                    System.out.println("rank " + comm.rank() + " ready");
                    System.out.flush();
                }
            }
            System.out.println("rank " + comm.rank() + " never saw a failure");
            System.exit(0);
        }
        catch (final CollectiveException ex)
        {
            final int failed = ex instanceof PeerFailureException ? ((PeerFailureException)ex).peerRank() : -1;
            System.out.println("rank " + comm.rank() + " caught " + ex.getClass().getSimpleName() + " failedRank=" + failed +
                " afterMs=" + (System.nanoTime() - lastOk) / 1_000_000 + " : " + ex.getMessage());
            System.out.flush();
            comm.close();
            System.exit(4);
        }
    }
}
