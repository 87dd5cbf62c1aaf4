package dev.jccl.examples;

import dev.jccl.CollectiveException;
import dev.jccl.Communicator;
import dev.jccl.Jccl;
import dev.jccl.PeerFailureException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/**
 * {@code jccl-train}: the data-parallel training example as a program. It joins the job from the
 * environment {@code jcclrun} (or torchrun, or mpirun) sets up, through {@link Jccl#init()}, and
 * runs {@link Trainer}. With no such environment it trains as a single rank.
 * <p>
 * Exit status: 0 when training finished; 2 for bad flags (including a batch size the world size
 * does not divide); 1 when a collective failed (for example {@link PeerFailureException} because
 * another rank died), after printing one line naming the cause.
 */
@Command(name = "jccl-train", mixinStandardHelpOptions = true, version = "jccl-train 0.1.0-SNAPSHOT", sortOptions = false,
    description = {"Data-parallel SGD on a synthetic data set: each rank computes the gradient of its shard of every",
        "global batch, allReduce(AVG) averages them, every rank applies the same update.",
        "Run under jcclrun: bin/jcclrun -np 4 bin/jccl-train --epochs 3"})
public final class TrainMain implements Callable<Integer>
{
    @Mixin
    private TrainOptions options = new TrainOptions();

    public static void main(final String[] args)
    {
        System.exit(run(args));
    }

    /** Parses {@code args} and trains; returns the exit status. */
    public static int run(final String... args)
    {
        return new CommandLine(new TrainMain()).execute(args);
    }

    @Override
    public Integer call()
    {
        int rank = -1;
        try (Communicator comm = Jccl.init())
        {
            rank = comm.rank();
            final TrainResult result = Trainer.train(comm, options, System.out);
            System.out.printf("rank %d: weights sha256 %s (%d parameters)%n", rank, result.weightsSha256(), result.weights().length);
            System.out.flush();
            return 0;
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("jccl-train: " + (rank >= 0 ? "rank " + rank + ": " : "") + ex.getMessage());
            return 2;
        }
        catch (final CollectiveException ex)
        {
            final String peer = ex instanceof PeerFailureException pf ? " (peer rank " + pf.peerRank() + " on " + pf.peerHost() + ")" : "";
            System.err.println("jccl-train: rank " + rank + ": training stopped" + peer + ": " + ex.getClass().getSimpleName() + ": " + ex.getMessage());
            return 1;
        }
    }
}
