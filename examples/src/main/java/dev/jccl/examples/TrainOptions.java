package dev.jccl.examples;

import picocli.CommandLine.Option;

/** The training program's settings; picocli fills them from the command line, tests use the setters. */
public final class TrainOptions
{
    @Option(names = "--epochs", paramLabel = "N", description = "Passes over the data set (default: ${DEFAULT-VALUE}).")
    int epochs = 5;

    @Option(names = {"--batch-size", "-b"}, paramLabel = "B",
        description = "GLOBAL batch size, split evenly over the ranks; must be divisible by the world size (default: ${DEFAULT-VALUE}).")
    int batchSize = 256;

    @Option(names = {"--lr", "--learning-rate"}, paramLabel = "LR", description = "SGD learning rate (default: ${DEFAULT-VALUE}).")
    float learningRate = 0.05f;

    @Option(names = "--seed", paramLabel = "S", description = "Seed for the data set, the initial weights and the shuffling (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--samples", paramLabel = "N", description = "Data set size (default: ${DEFAULT-VALUE}).")
    int samples = 131_072;

    @Option(names = "--features", paramLabel = "N", description = "Input dimension (default: ${DEFAULT-VALUE}).")
    int features = 32;

    @Option(names = "--hidden", paramLabel = "N", description = "Hidden units (default: ${DEFAULT-VALUE}).")
    int hidden = 64;

    @Option(names = "--classes", paramLabel = "N", description = "Output classes (default: ${DEFAULT-VALUE}).")
    int classes = 10;

    @Option(names = "--die-at-step", paramLabel = "K",
        description = "Failure drill: the rank named by --die-rank halts the JVM at global step K (0-based, counted across epochs), before that step's allreduce.")
    int dieAtStep = -1;

    @Option(names = "--die-rank", paramLabel = "R", description = "Rank that --die-at-step kills (default: the last rank).")
    int dieRank = -1;

    @Option(names = "--die-code", paramLabel = "C", description = "Exit status of the --die-at-step halt (default: ${DEFAULT-VALUE}).")
    int dieCode = 3;

    public int epochs()
    {
        return epochs;
    }

    public TrainOptions epochs(final int epochs)
    {
        this.epochs = epochs;
        return this;
    }

    public int batchSize()
    {
        return batchSize;
    }

    public TrainOptions batchSize(final int batchSize)
    {
        this.batchSize = batchSize;
        return this;
    }

    public float learningRate()
    {
        return learningRate;
    }

    public TrainOptions learningRate(final float learningRate)
    {
        this.learningRate = learningRate;
        return this;
    }

    public long seed()
    {
        return seed;
    }

    public TrainOptions seed(final long seed)
    {
        this.seed = seed;
        return this;
    }

    public int samples()
    {
        return samples;
    }

    public TrainOptions samples(final int samples)
    {
        this.samples = samples;
        return this;
    }

    public int features()
    {
        return features;
    }

    public TrainOptions features(final int features)
    {
        this.features = features;
        return this;
    }

    public int hidden()
    {
        return hidden;
    }

    public TrainOptions hidden(final int hidden)
    {
        this.hidden = hidden;
        return this;
    }

    public int classes()
    {
        return classes;
    }

    public TrainOptions classes(final int classes)
    {
        this.classes = classes;
        return this;
    }

    public int dieAtStep()
    {
        return dieAtStep;
    }

    public TrainOptions dieAtStep(final int dieAtStep)
    {
        this.dieAtStep = dieAtStep;
        return this;
    }

    public int dieRank()
    {
        return dieRank;
    }

    public TrainOptions dieRank(final int dieRank)
    {
        this.dieRank = dieRank;
        return this;
    }

    public int dieCode()
    {
        return dieCode;
    }

    public TrainOptions dieCode(final int dieCode)
    {
        this.dieCode = dieCode;
        return this;
    }

    /**
     * Checks the settings against the world size before any communication, so every rank fails
     * the same way with the same message.
     *
     * @throws IllegalArgumentException naming the flag that is wrong.
     */
    public void validate(final int worldSize)
    {
        require(epochs >= 1, "--epochs must be >= 1, got " + epochs);
        require(batchSize >= 1, "--batch-size must be >= 1, got " + batchSize);
        require(batchSize % worldSize == 0, "--batch-size " + batchSize + " is not divisible by the world size " + worldSize +
            ": the global batch is split into equal per-rank shards so that averaging the ranks' mean gradients gives the" +
            " global mean gradient; use a multiple of " + worldSize + " (for example " + (batchSize / worldSize + 1) * worldSize + ")");
        require(samples >= batchSize, "--samples " + samples + " is smaller than one global batch (--batch-size " + batchSize + ")");
        require(learningRate > 0 && Float.isFinite(learningRate), "--lr must be positive, got " + learningRate);
        require(features >= 1 && hidden >= 1 && classes >= 2,
            "--features and --hidden must be >= 1 and --classes >= 2, got " + features + ", " + hidden + ", " + classes);
        require(dieRank < worldSize, "--die-rank " + dieRank + " is outside the world of " + worldSize + " ranks");
    }

    private static void require(final boolean ok, final String message)
    {
        if (!ok)
        {
            throw new IllegalArgumentException(message);
        }
    }
}
