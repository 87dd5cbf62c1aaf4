package dev.jccl.launcher;

import dev.jccl.CollectiveException;
import dev.jccl.Communicator;
import dev.jccl.Jccl;
import dev.jccl.PeerFailureException;
import dev.jccl.ReduceOp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A rank program for peer-death tests under jcclrun: allreduces in a loop until the communicator
 * fails. Once warm it writes its pid to {@code looping.RANK} in the working directory, so the
 * test knows whom to kill. When a call fails it prints one {@code FAILED} line (exception class,
 * the failed peer's rank and host, and the wall-clock time) and lets the exception escape, as an
 * application would, so the JVM exits non-zero.
 *
 * <p>With {@code CATCH_SIGTERM} set the rank ignores SIGTERM, as a training program that
 * checkpoints on it would for a while: jcclrun stops the job as soon as the victim's exit is
 * reported, and the survivors must outlive that signal long enough to show what the
 * communicator told them.
 */
public final class LoopingAllReduceRank
{
    private LoopingAllReduceRank()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        if (System.getenv("CATCH_SIGTERM") != null)
        {
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> System.out.println("SIGTERM ignored"));
        }
        try (Communicator comm = Jccl.init())
        {
            final int rank = comm.rank();
            final int size = comm.size();
            final float[] v = new float[16 * 1024];
            final float expected = size * (size + 1) / 2f;
            long iteration = 0;
            try
            {
                while (true)
                {
                    java.util.Arrays.fill(v, rank + 1);
                    comm.allReduce(v, ReduceOp.SUM);
                    if (v[0] != expected || v[v.length - 1] != expected)
                    {
                        throw new IllegalStateException("rank " + rank + " allreduce WRONG: " + v[0] + " != " + expected);
                    }
                    if (++iteration == 50)
                    {
                        final Path tmp = Path.of("looping." + rank + ".tmp");
                        Files.writeString(tmp, Long.toString(ProcessHandle.current().pid()));
                        Files.move(tmp, Path.of("looping." + rank), StandardCopyOption.ATOMIC_MOVE);
                    }
                }
            }
            catch (final CollectiveException e)
            {
                final long at = System.currentTimeMillis();
                final String who = e instanceof PeerFailureException pf
                    ? " peerRank=" + pf.peerRank() + " peerHost=" + pf.peerHost() : "";
                System.out.println("rank " + rank + " FAILED " + e.getClass().getSimpleName() + who + " at=" + at +
                    " after " + iteration + " allreduces: " + e.getMessage());
                System.out.flush();
                throw e;
            }
        }
    }
}
