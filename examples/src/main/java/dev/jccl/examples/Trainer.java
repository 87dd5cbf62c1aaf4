package dev.jccl.examples;

import dev.jccl.CommBuffer;
import dev.jccl.Communicator;
import dev.jccl.ReduceOp;

import java.io.PrintStream;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Synchronous data-parallel SGD, written as a user of the library would write it.
 * <ol>
 * <li>Every rank builds the same model and data set from the seed; rank 0's initial weights are
 * broadcast so every rank starts from exactly rank 0's copy.</li>
 * <li>Each epoch every rank computes the same shuffle of the data set. Step {@code s} takes the
 * global batch {@code order[s*B, (s+1)*B)}; rank {@code r} of {@code n} takes its shard
 * {@code [s*B + r*B/n, s*B + (r+1)*B/n)}, so the global batch is the same whatever the world size.</li>
 * <li>Each rank computes the mean gradient of its shard, and {@code allReduce(AVG)} turns the
 * equal-sized shards' means into the global batch's mean gradient. The backward pass runs layer
 * by layer, output layer first: as soon as a layer's gradient is ready its allreduce is issued
 * with {@code allReduceAsync}, so it travels while the next layer's gradient is computed. Both
 * are joined before the optimizer step, and every rank applies the same update. Since every rank
 * receives the same reduced bits, the weights stay bit-identical.</li>
 * <li>At the end of each epoch the loss and accuracy sums are allreduced and rank 0 prints them.</li>
 * </ol>
 */
public final class Trainer
{
    private Trainer()
    {
    }

    /**
     * Trains on {@code comm}; rank 0 writes progress to {@code out}. Every rank must call this with
     * the same options.
     *
     * @throws IllegalArgumentException before any communication when the options do not suit the world size.
     */
    public static TrainResult train(final Communicator comm, final TrainOptions options, final PrintStream out)
    {
        final int rank = comm.rank();
        final int worldSize = comm.size();
        options.validate(worldSize);
        final int batch = options.batchSize();
        final int shard = batch / worldSize;
        final Mlp model = new Mlp(options.features(), options.hidden(), options.classes());
        final SyntheticDataset data = SyntheticDataset.generate(options.seed(), options.samples(), options.features(), options.classes());
        final int stepsPerEpoch = data.size() / batch;
        final int dieRank = options.dieRank() >= 0 ? options.dieRank() : worldSize - 1;

        final float[] weights = model.initialParameters(options.seed());
        comm.broadcast(weights, 0);
        if (rank == 0)
        {
            out.printf(Locale.ROOT, "jccl-train: %d rank(s) over %s, MLP %d-%d-%d (%d parameters), %d samples, " +
                    "global batch %d (%d per rank), %d steps/epoch, lr %s, seed %d%n",
                worldSize, comm.transportName(), options.features(), options.hidden(), options.classes(), model.parameterCount(),
                data.size(), batch, shard, stepsPerEpoch, options.learningRate(), options.seed());
            out.flush();
        }

        final float[] grad = new float[model.parameterCount()];
        // One view per layer of the flat gradient, made once: the async calls reduce them separately.
        final int outputOffset = model.outputLayerOffset();
        final CommBuffer outputLayerGrad = CommBuffer.of(grad, outputOffset, grad.length - outputOffset);
        final CommBuffer hiddenLayerGrad = CommBuffer.of(grad, 0, outputOffset);
        final double[] stats = new double[2];
        final double[] epochStats = new double[3];
        final int[] order = new int[data.size()];
        final double[] epochLoss = new double[options.epochs()];
        final double[] epochAccuracy = new double[options.epochs()];
        final float lr = options.learningRate();
        int globalStep = 0;
        for (int epoch = 0; epoch < options.epochs(); epoch++)
        {
            final long start = System.nanoTime();
            shuffle(order, options.seed(), epoch);
            stats[0] = 0;
            stats[1] = 0;
            for (int step = 0; step < stepsPerEpoch; step++, globalStep++)
            {
                final int from = step * batch + rank * shard;
                model.forward(weights, data, order, from, from + shard, stats);
                model.outputLayerGradient(weights, grad);
                if (globalStep == options.dieAtStep() && rank == dieRank)
                {
                    out.printf(Locale.ROOT, "rank %d: --die-at-step %d: halting with exit code %d (simulated crash)%n",
                        rank, globalStep, options.dieCode());
                    out.flush();
                    System.err.flush();
                    Runtime.getRuntime().halt(options.dieCode());
                }
                final CompletableFuture<Void> outputReduced = comm.allReduceAsync(outputLayerGrad, ReduceOp.AVG);
                model.hiddenLayerGradient(grad); // overlaps the output layer's allreduce
                final CompletableFuture<Void> hiddenReduced = comm.allReduceAsync(hiddenLayerGrad, ReduceOp.AVG);
                await(outputReduced);
                await(hiddenReduced);
                for (int i = 0; i < weights.length; i++)
                {
                    weights[i] -= lr * grad[i];
                }
            }
            epochStats[0] = stats[0];
            epochStats[1] = stats[1];
            epochStats[2] = (double)stepsPerEpoch * shard;
            comm.allReduce(epochStats, ReduceOp.SUM);
            epochLoss[epoch] = epochStats[0] / epochStats[2];
            epochAccuracy[epoch] = epochStats[1] / epochStats[2];
            if (rank == 0)
            {
                out.printf(Locale.ROOT, "epoch %d/%d  loss %.6f  accuracy %.2f%%  %.2f s%n", epoch + 1, options.epochs(),
                    epochLoss[epoch], 100 * epochAccuracy[epoch], (System.nanoTime() - start) / 1e9);
                out.flush();
            }
        }
        return new TrainResult(weights, WeightDigest.sha256(weights), epochLoss, epochAccuracy);
    }

    /** Waits for an async collective and throws what the blocking call would have thrown. */
    private static void await(final CompletableFuture<Void> reduced)
    {
        try
        {
            reduced.join();
        }
        catch (final CompletionException ex)
        {
            if (ex.getCause() instanceof RuntimeException cause)
            {
                throw cause;
            }
            throw ex;
        }
    }

    /** The epoch's permutation of sample indices: the same on every rank, different each epoch. */
    static void shuffle(final int[] order, final long seed, final int epoch)
    {
        for (int i = 0; i < order.length; i++)
        {
            order[i] = i;
        }
        final SplittableRandom random = new SplittableRandom(Seeds.mix(seed ^ 0x5A1FF1EL, epoch));
        for (int i = order.length - 1; i > 0; i--)
        {
            final int j = random.nextInt(i + 1);
            final int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
