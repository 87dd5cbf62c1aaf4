package dev.jccl.tcp;

import dev.jccl.CollectiveException;
import dev.jccl.Communicator;
import dev.jccl.Jccl;
import dev.jccl.JcclConfig;
import dev.jccl.PeerFailureException;
import dev.jccl.ReduceOp;

import java.time.Duration;

/**
 * A rank as a separate JVM for failure tests. Joins from the torchrun-style environment and runs
 * collectives in a loop, printing {@code LOOPING} once warm. The victim rank ({@code VICTIM}) may
 * end itself with {@code System.exit} from a side thread while its main thread is inside a call
 * ({@code MODE=exit}); otherwise the test kills or freezes it from outside. Every survivor prints
 * one {@code FAILED} line naming the exception, the failed rank and host and the wall-clock time,
 * then (when {@code REJOIN_PORT} is set) builds a fresh communicator of the survivors in this same
 * process and allreduces over it, printing {@code REJOINED}.
 */
public final class FailureRank
{
    private FailureRank()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final int victim = Integer.parseInt(System.getenv("VICTIM"));
        final String mode = System.getenv().getOrDefault("MODE", "external");
        if (System.getenv("IGNORE_SIGTERM") != null)
        {
            // Under jcclrun the launcher stops the others once the victim exits: outlive that long
            // enough to report what the communicator said.
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> { });
        }
        final Communicator comm = Jccl.init();
        final int rank = comm.rank();
        final int size = comm.size();
        final float[] data = new float[64 * 1024];
        long iteration = 0;
        try
        {
            while (true)
            {
                java.util.Arrays.fill(data, rank + 1);
                comm.allReduce(data, ReduceOp.SUM);
                if (data[0] != size * (size + 1) / 2f)
                {
                    System.out.println("rank " + rank + " WRONG " + data[0]);
                    System.exit(3);
                }
                comm.broadcast(data, (int)(iteration % size));
                comm.barrier();
                if (++iteration == 20)
                {
                    System.out.println("rank " + rank + " LOOPING pid " + ProcessHandle.current().pid());
                    if (rank == victim && mode.equals("exit"))
                    {
                        final Thread killer = new Thread(() ->
                        {
                            sleep(300);
                            System.exit(7);
                        });
                        killer.start();
                    }
                }
            }
        }
        catch (final CollectiveException ex)
        {
            final long now = System.currentTimeMillis();
            if (ex instanceof PeerFailureException)
            {
                final PeerFailureException pf = (PeerFailureException)ex;
                System.out.println("rank " + rank + " FAILED PeerFailureException peerRank=" + pf.peerRank() +
                    " peerHost=" + pf.peerHost() + " at=" + now + " msg=" + ex.getMessage());
            }
            else
            {
                System.out.println("rank " + rank + " FAILED " + ex.getClass().getSimpleName() + " at=" + now + " msg=" + ex.getMessage());
            }
            final long start = System.nanoTime();
            try
            {
                comm.barrier();
                System.out.println("rank " + rank + " BROKEN-BUT-WORKED");
            }
            catch (final CollectiveException again)
            {
                System.out.println("rank " + rank + " STILL-BROKEN in " + (System.nanoTime() - start) / 1_000_000 + " ms");
            }
            final long closeStart = System.nanoTime();
            comm.close();
            System.out.println("rank " + rank + " CLOSED in " + (System.nanoTime() - closeStart) / 1_000_000 + " ms");
        }
        final String rejoinPort = System.getenv("REJOIN_PORT");
        if (rejoinPort != null)
        {
            rejoin(rank, size, victim, Integer.parseInt(rejoinPort));
        }
        System.out.flush();
        System.exit(0);
    }

    /** The survivors, renumbered without the victim, form a new communicator in this JVM. */
    private static void rejoin(final int rank, final int size, final int victim, final int port)
    {
        final int newRank = rank < victim ? rank : rank - 1;
        final JcclConfig config = new JcclConfig().rank(newRank).worldSize(size - 1).store("127.0.0.1", port)
            .runId("rejoin").timeout(Duration.ofSeconds(60));
        try (Communicator again = Jccl.init(config))
        {
            final int[] one = { 1 };
            again.allReduce(one, ReduceOp.SUM);
            System.out.println("rank " + rank + " REJOINED as " + newRank + " of " + again.size() + " sum=" + one[0]);
        }
    }

    private static void sleep(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
