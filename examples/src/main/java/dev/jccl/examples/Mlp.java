package dev.jccl.examples;

import java.util.SplittableRandom;

/**
 * A one-hidden-layer perceptron ({@code in -> hidden (tanh) -> out (softmax)}) with cross-entropy
 * loss. All parameters live in one flat {@code float[]} so that a whole gradient is one allreduce:
 * {@code W1 [hidden][in], b1 [hidden], W2 [out][hidden], b2 [out]}.
 * <p>
 * The backward pass runs layer by layer ({@link #outputLayerGradient}, then
 * {@link #hiddenLayerGradient}), so a data-parallel trainer can start reducing the output layer's
 * gradient while the hidden layer's is computed. Instances hold scratch space, so one instance
 * belongs to one thread; steady-state steps allocate nothing.
 */
public final class Mlp
{
    private final int in;
    private final int hidden;
    private final int out;
    private final int w1;
    private final int b1;
    private final int w2;
    private final int b2;
    private final int parameters;

    private final double[] gradSum;
    private final double[] z;
    /** Per sample of the current shard: sample index, hidden activations, output and hidden errors. */
    private int[] samples = new int[0];
    private double[] hs = new double[0];
    private double[] dzs = new double[0];
    private double[] dhs = new double[0];
    private SyntheticDataset data;
    private int shardSize;

    public Mlp(final int in, final int hidden, final int out)
    {
        if (in < 1 || hidden < 1 || out < 2)
        {
            throw new IllegalArgumentException("layer sizes must be in >= 1, hidden >= 1, out >= 2, got " + in + ", " + hidden + ", " + out);
        }
        this.in = in;
        this.hidden = hidden;
        this.out = out;
        this.w1 = 0;
        this.b1 = w1 + hidden * in;
        this.w2 = b1 + hidden;
        this.b2 = w2 + out * hidden;
        this.parameters = b2 + out;
        this.gradSum = new double[parameters];
        this.z = new double[out];
    }

    public int parameterCount()
    {
        return parameters;
    }

    /** A fresh parameter vector, Xavier-uniform weights and zero biases, from {@code seed}. */
    public float[] initialParameters(final long seed)
    {
        final float[] p = new float[parameters];
        final SplittableRandom random = new SplittableRandom(Seeds.mix(seed, 0x1417_1a1L));
        final double a1 = Math.sqrt(6.0 / (in + hidden));
        for (int i = w1; i < b1; i++)
        {
            p[i] = (float)((2 * random.nextDouble() - 1) * a1);
        }
        final double a2 = Math.sqrt(6.0 / (hidden + out));
        for (int i = w2; i < b2; i++)
        {
            p[i] = (float)((2 * random.nextDouble() - 1) * a2);
        }
        return p;
    }

    /** Index of the output layer's first parameter: {@code [0, here)} is the hidden layer's W1 and b1. */
    public int outputLayerOffset()
    {
        return w2;
    }

    /**
     * Writes into {@code grad} the mean gradient of the loss over the samples {@code order[from..to)}
     * of {@code data} at parameters {@code p} (accumulated in double, rounded once to float), and
     * adds this shard's loss sum and number of correct predictions to {@code stats[0]} and
     * {@code stats[1]}. The same as {@link #forward}, {@link #outputLayerGradient} and
     * {@link #hiddenLayerGradient} in a row.
     */
    public void meanGradient(final float[] p, final SyntheticDataset data, final int[] order, final int from, final int to,
        final float[] grad, final double[] stats)
    {
        forward(p, data, order, from, to, stats);
        outputLayerGradient(p, grad);
        hiddenLayerGradient(grad);
    }

    /**
     * Forward pass over the samples {@code order[from..to)}: keeps each sample's hidden activations
     * and output error for the backward phases, and adds the loss sum and number of correct
     * predictions to {@code stats[0]} and {@code stats[1]}.
     */
    public void forward(final float[] p, final SyntheticDataset data, final int[] order, final int from, final int to,
        final double[] stats)
    {
        if (data.features() != in || data.classes() != out)
        {
            throw new IllegalArgumentException("model is " + in + " -> " + out + " but the data set has " +
                data.features() + " features and " + data.classes() + " classes");
        }
        ensureShardCapacity(to - from);
        this.data = data;
        this.shardSize = to - from;
        final float[] x = data.featureArray();
        double lossSum = 0;
        int correct = 0;
        for (int s = from; s < to; s++)
        {
            final int n = s - from;
            final int sample = order[s];
            samples[n] = sample;
            final int xb = sample * in;
            final int label = data.label(sample);
            final int hb = n * hidden;
            for (int j = 0; j < hidden; j++)
            {
                double a = p[b1 + j];
                final int row = w1 + j * in;
                for (int k = 0; k < in; k++)
                {
                    a += p[row + k] * (double)x[xb + k];
                }
                hs[hb + j] = Math.tanh(a);
            }
            // logits and softmax
            double max = Double.NEGATIVE_INFINITY;
            int argmax = 0;
            for (int c = 0; c < out; c++)
            {
                double a = p[b2 + c];
                final int row = w2 + c * hidden;
                for (int j = 0; j < hidden; j++)
                {
                    a += p[row + j] * hs[hb + j];
                }
                z[c] = a;
                if (a > max)
                {
                    max = a;
                    argmax = c;
                }
            }
            double norm = 0;
            for (int c = 0; c < out; c++)
            {
                z[c] = Math.exp(z[c] - max);
                norm += z[c];
            }
            lossSum += -Math.log(z[label] / norm);
            if (argmax == label)
            {
                correct++;
            }
            // dL/dz = softmax - onehot
            for (int c = 0; c < out; c++)
            {
                dzs[n * out + c] = z[c] / norm - (c == label ? 1.0 : 0.0);
            }
        }
        stats[0] += lossSum;
        stats[1] += correct;
    }

    /**
     * Backward through the output layer: its mean gradient (W2, b2) into
     * {@code grad[outputLayerOffset(), parameterCount())}, and each sample's error at the hidden
     * layer for {@link #hiddenLayerGradient}. Reads nothing of {@code grad} below the offset.
     */
    public void outputLayerGradient(final float[] p, final float[] grad)
    {
        java.util.Arrays.fill(gradSum, w2, parameters, 0.0);
        for (int n = 0; n < shardSize; n++)
        {
            final int hb = n * hidden;
            java.util.Arrays.fill(dhs, hb, hb + hidden, 0.0);
            for (int c = 0; c < out; c++)
            {
                final double dz = dzs[n * out + c];
                gradSum[b2 + c] += dz;
                final int row = w2 + c * hidden;
                for (int j = 0; j < hidden; j++)
                {
                    gradSum[row + j] += dz * hs[hb + j];
                    dhs[hb + j] += dz * p[row + j];
                }
            }
        }
        scaleInto(grad, w2, parameters);
    }

    /**
     * Backward through the hidden layer: its mean gradient (W1, b1) into
     * {@code grad[0, outputLayerOffset())}. Touches nothing of {@code grad} above the offset, so
     * the output layer's gradient may be in flight meanwhile.
     */
    public void hiddenLayerGradient(final float[] grad)
    {
        java.util.Arrays.fill(gradSum, 0, w2, 0.0);
        final float[] x = data.featureArray();
        for (int n = 0; n < shardSize; n++)
        {
            final int hb = n * hidden;
            final int xb = samples[n] * in;
            for (int j = 0; j < hidden; j++)
            {
                final double h = hs[hb + j];
                final double da = dhs[hb + j] * (1.0 - h * h);
                gradSum[b1 + j] += da;
                final int row = w1 + j * in;
                for (int k = 0; k < in; k++)
                {
                    gradSum[row + k] += da * x[xb + k];
                }
            }
        }
        scaleInto(grad, 0, w2);
    }

    private void scaleInto(final float[] grad, final int fromParameter, final int toParameter)
    {
        final double scale = 1.0 / shardSize;
        for (int i = fromParameter; i < toParameter; i++)
        {
            grad[i] = (float)(gradSum[i] * scale);
        }
    }

    /** Grows the per-sample scratch once to the largest shard; steady-state steps allocate nothing. */
    private void ensureShardCapacity(final int samplesInShard)
    {
        if (samples.length < samplesInShard)
        {
            samples = new int[samplesInShard];
            hs = new double[samplesInShard * hidden];
            dhs = new double[samplesInShard * hidden];
            dzs = new double[samplesInShard * out];
        }
    }
}
