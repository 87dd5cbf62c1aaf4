package dev.jccl.examples;

import java.util.SplittableRandom;

/**
 * A deterministic classification data set: {@code classes} classes, each a mixture of two Gaussian
 * blobs in {@code features} dimensions, with enough noise that the classes overlap. The same seed
 * gives the same data on every rank and every JVM, so each rank can build it (like every rank of a
 * real job reading the same files) and pick its own shard of each global batch.
 */
public final class SyntheticDataset
{
    private static final int BLOBS_PER_CLASS = 2;
    private static final double NOISE = 3.0;

    private final int size;
    private final int features;
    private final int classes;
    private final float[] x;
    private final int[] y;

    private SyntheticDataset(final int size, final int features, final int classes)
    {
        this.size = size;
        this.features = features;
        this.classes = classes;
        this.x = new float[Math.multiplyExact(size, features)];
        this.y = new int[size];
    }

    /** Generates {@code size} samples; sample {@code i} depends only on {@code seed} and {@code i}. */
    public static SyntheticDataset generate(final long seed, final int size, final int features, final int classes)
    {
        if (size < 1 || features < 1 || classes < 2)
        {
            throw new IllegalArgumentException("data set needs size >= 1, features >= 1 and classes >= 2, got " +
                size + ", " + features + ", " + classes);
        }
        final SyntheticDataset data = new SyntheticDataset(size, features, classes);
        final int blobs = classes * BLOBS_PER_CLASS;
        final double[] centres = new double[blobs * features];
        final SplittableRandom centreRandom = new SplittableRandom(Seeds.mix(seed, 0x5eed_ce47_e55L));
        for (int i = 0; i < centres.length; i++)
        {
            centres[i] = 2.0 * Seeds.gaussian(centreRandom);
        }
        for (int i = 0; i < size; i++)
        {
            final SplittableRandom random = new SplittableRandom(Seeds.mix(seed, i));
            final int blob = random.nextInt(blobs);
            data.y[i] = blob % classes;
            final int base = i * features;
            for (int f = 0; f < features; f++)
            {
                data.x[base + f] = (float)(centres[blob * features + f] + NOISE * Seeds.gaussian(random));
            }
        }
        return data;
    }

    public int size()
    {
        return size;
    }

    public int features()
    {
        return features;
    }

    public int classes()
    {
        return classes;
    }

    /** Feature {@code f} of sample {@code i}. */
    public float x(final int i, final int f)
    {
        return x[i * features + f];
    }

    /** The backing feature array, row-major ({@code size x features}); read only. */
    float[] featureArray()
    {
        return x;
    }

    /** Label of sample {@code i}, in {@code [0, classes)}. */
    public int label(final int i)
    {
        return y[i];
    }
}
