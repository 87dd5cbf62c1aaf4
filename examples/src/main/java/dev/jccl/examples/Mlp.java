package dev.jccl.examples;

import java.util.SplittableRandom;

/**
 * A one-hidden-layer perceptron ({@code in -> hidden (tanh) -> out (softmax)}) with cross-entropy
 * loss. All parameters live in one flat {@code float[]} so that a whole gradient is one allreduce:
 * {@code W1 [hidden][in], b1 [hidden], W2 [out][hidden], b2 [out]}.
 * <p>
 * Instances hold scratch space, so one instance belongs to one thread; the steady-state
 * {@link #meanGradient} allocates nothing.
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
    private final double[] h;
    private final double[] z;
    private final double[] dh;

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
        this.h = new double[hidden];
        this.z = new double[out];
        this.dh = new double[hidden];
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

    /**
     * Writes into {@code grad} the mean gradient of the loss over the samples {@code order[from..to)}
     * of {@code data} at parameters {@code p} (accumulated in double, rounded once to float), and
     * adds this shard's loss sum and number of correct predictions to {@code stats[0]} and
     * {@code stats[1]}.
     */
    public void meanGradient(final float[] p, final SyntheticDataset data, final int[] order, final int from, final int to,
        final float[] grad, final double[] stats)
    {
        if (data.features() != in || data.classes() != out)
        {
            throw new IllegalArgumentException("model is " + in + " -> " + out + " but the data set has " +
                data.features() + " features and " + data.classes() + " classes");
        }
        java.util.Arrays.fill(gradSum, 0.0);
        final float[] x = data.featureArray();
        double lossSum = 0;
        int correct = 0;
        for (int s = from; s < to; s++)
        {
            final int sample = order[s];
            final int xb = sample * in;
            final int label = data.label(sample);
            // forward: hidden layer
            for (int j = 0; j < hidden; j++)
            {
                double a = p[b1 + j];
                final int row = w1 + j * in;
                for (int k = 0; k < in; k++)
                {
                    a += p[row + k] * (double)x[xb + k];
                }
                h[j] = Math.tanh(a);
            }
            // forward: logits and softmax
            double max = Double.NEGATIVE_INFINITY;
            int argmax = 0;
            for (int c = 0; c < out; c++)
            {
                double a = p[b2 + c];
                final int row = w2 + c * hidden;
                for (int j = 0; j < hidden; j++)
                {
                    a += p[row + j] * h[j];
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
            // backward: dL/dz = softmax - onehot
            java.util.Arrays.fill(dh, 0.0);
            for (int c = 0; c < out; c++)
            {
                final double dz = z[c] / norm - (c == label ? 1.0 : 0.0);
                gradSum[b2 + c] += dz;
                final int row = w2 + c * hidden;
                for (int j = 0; j < hidden; j++)
                {
                    gradSum[row + j] += dz * h[j];
                    dh[j] += dz * p[row + j];
                }
            }
            for (int j = 0; j < hidden; j++)
            {
                final double da = dh[j] * (1.0 - h[j] * h[j]);
                gradSum[b1 + j] += da;
                final int row = w1 + j * in;
                for (int k = 0; k < in; k++)
                {
                    gradSum[row + k] += da * x[xb + k];
                }
            }
        }
        final double scale = 1.0 / (to - from);
        for (int i = 0; i < parameters; i++)
        {
            grad[i] = (float)(gradSum[i] * scale);
        }
        stats[0] += lossSum;
        stats[1] += correct;
    }
}
