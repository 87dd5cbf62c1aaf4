package dev.jccl.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The training example run with ranks as threads over the real TCP transport. */
class DataParallelTrainingTest
{
    /** Small enough to be quick, large enough that the weights move a lot. 240 divides by 1..6 and 8. */
    private static TrainOptions options()
    {
        return new TrainOptions().epochs(2).batchSize(240).samples(12_000).learningRate(0.05f).seed(7);
    }

    private static final PrintStream DISCARD = new PrintStream(OutputStream.nullOutputStream());

    private static TrainResult[] train(final int worldSize, final TrainOptions options) throws Exception
    {
        final List<Object> results = ThreadRanks.run(worldSize, comm -> Trainer.train(comm, options, DISCARD));
        final TrainResult[] out = new TrainResult[worldSize];
        for (int r = 0; r < worldSize; r++)
        {
            if (results.get(r) instanceof Throwable t)
            {
                throw new AssertionError("rank " + r + " of " + worldSize + " failed", t);
            }
            out[r] = (TrainResult)results.get(r);
        }
        return out;
    }

    @ParameterizedTest(name = "{0} ranks")
    @ValueSource(ints = {2, 3, 4})
    void everyRankEndsWithBitIdenticalWeights(final int worldSize) throws Exception
    {
        final TrainResult[] results = train(worldSize, options());
        final float[] initial = new Mlp(32, 64, 10).initialParameters(7);
        assertTrue(maxAbsDiff(initial, results[0].weights()) > 0.05, "training should move the weights");
        for (int r = 1; r < worldSize; r++)
        {
            assertEquals(results[0].weightsSha256(), results[r].weightsSha256(), "rank " + r + "'s weight digest differs from rank 0's");
            for (int i = 0; i < results[0].weights().length; i++)
            {
                if (Float.floatToRawIntBits(results[0].weights()[i]) != Float.floatToRawIntBits(results[r].weights()[i]))
                {
                    fail("rank " + r + " weight " + i + " is " + results[r].weights()[i] + ", rank 0 has " + results[0].weights()[i]);
                }
            }
            assertArrayEquals(results[0].epochLoss(), results[r].epochLoss(), 0.0, "every rank sees the same global loss");
        }
    }

    @Test
    void fourRanksMatchOneRankOnTheSameGlobalBatch() throws Exception
    {
        final TrainResult one = train(1, options())[0];
        final TrainResult four = train(4, options())[0];
        // The global batch and its order are the same; only float rounding differs (the mean of four
        // 60-sample means, each rounded to float, versus one 240-sample mean), so the weights agree
        // to a small tolerance, not bit for bit.
        final double diff = maxAbsDiff(one.weights(), four.weights());
        assertTrue(diff < 1e-5, "4-rank weights differ from 1-rank weights by up to " + diff);
        assertArrayEquals(one.epochLoss(), four.epochLoss(), 1e-5, "per-epoch loss");
        assertArrayEquals(one.epochAccuracy(), four.epochAccuracy(), 1e-3, "per-epoch accuracy");
        assertTrue(one.epochLoss()[1] < one.epochLoss()[0], "loss should fall: " + java.util.Arrays.toString(one.epochLoss()));
    }

    @Test
    void differentWorldSizesTrainTheSameModelWhenTheBatchDividesEvenly() throws Exception
    {
        final TrainResult two = train(2, options())[0];
        final TrainResult three = train(3, options())[0];
        final double diff = maxAbsDiff(two.weights(), three.weights());
        assertTrue(diff < 1e-5, "2-rank and 3-rank weights differ by up to " + diff);
    }

    @Test
    void aBatchSizeTheWorldSizeDoesNotDivideIsRejectedOnEveryRankBeforeAnyCommunication() throws Exception
    {
        final TrainOptions options = options().batchSize(256);
        final List<Object> results = ThreadRanks.run(3, comm -> Trainer.train(comm, options, DISCARD));
        for (int r = 0; r < 3; r++)
        {
            final IllegalArgumentException ex = assertInstanceOf(IllegalArgumentException.class, results.get(r), "rank " + r);
            assertTrue(ex.getMessage().contains("--batch-size 256 is not divisible by the world size 3"), ex.getMessage());
            assertTrue(ex.getMessage().contains("for example 258"), ex.getMessage());
        }
    }

    @Test
    void rankZeroPrintsTheLossOfEveryEpochAndTheOthersPrintNothing() throws Exception
    {
        final ByteArrayOutputStream[] outs = {new ByteArrayOutputStream(), new ByteArrayOutputStream()};
        ThreadRanks.run(2, comm ->
        {
            final PrintStream ps = new PrintStream(outs[comm.rank()], true, StandardCharsets.UTF_8);
            return Trainer.train(comm, options().epochs(3), ps);
        });
        final String zero = outs[0].toString(StandardCharsets.UTF_8);
        assertTrue(zero.startsWith("jccl-train: 2 rank(s) over tcp, MLP 32-64-10 (2762 parameters), 12000 samples, global batch 240 (120 per rank)"), zero);
        for (int e = 1; e <= 3; e++)
        {
            assertTrue(zero.matches("(?s).*\nepoch " + e + "/3  loss \\d+\\.\\d{6}  accuracy \\d+\\.\\d\\d%  \\d+\\.\\d\\d s\n.*"), zero);
        }
        assertEquals("", outs[1].toString(StandardCharsets.UTF_8));
    }

    @Test
    void theSameSeedGivesTheSameDataSetAndADifferentSeedADifferentOne()
    {
        final SyntheticDataset a = SyntheticDataset.generate(5, 500, 8, 3);
        final SyntheticDataset b = SyntheticDataset.generate(5, 500, 8, 3);
        final SyntheticDataset c = SyntheticDataset.generate(6, 500, 8, 3);
        boolean differs = false;
        for (int i = 0; i < 500; i++)
        {
            assertEquals(a.label(i), b.label(i));
            for (int f = 0; f < 8; f++)
            {
                assertEquals(Float.floatToRawIntBits(a.x(i, f)), Float.floatToRawIntBits(b.x(i, f)));
                differs |= a.x(i, f) != c.x(i, f);
            }
        }
        assertTrue(differs);
    }

    @Test
    void theEpochShuffleIsAPermutationThatChangesEachEpoch()
    {
        final int[] first = new int[1000];
        final int[] second = new int[1000];
        Trainer.shuffle(first, 1, 0);
        Trainer.shuffle(second, 1, 1);
        assertTrue(!java.util.Arrays.equals(first, second));
        final int[] sorted = first.clone();
        java.util.Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++)
        {
            assertEquals(i, sorted[i]);
        }
    }

    @Test
    void theBackpropagatedGradientMatchesFiniteDifferences()
    {
        final Mlp model = new Mlp(5, 4, 3);
        final SyntheticDataset data = SyntheticDataset.generate(3, 20, 5, 3);
        final int[] order = new int[20];
        Trainer.shuffle(order, 3, 0);
        final float[] p = model.initialParameters(3);
        for (int i = 0; i < p.length; i++)
        {
            p[i] += 0.1f * (float)Math.sin(i); // non-zero biases too
        }
        final float[] grad = new float[model.parameterCount()];
        model.meanGradient(p, data, order, 0, 20, grad, new double[2]);
        final float[] scratch = new float[model.parameterCount()];
        for (int i = 0; i < p.length; i++)
        {
            final float saved = p[i];
            final float h = 1e-2f;
            p[i] = saved + h;
            final double[] plus = new double[2];
            model.meanGradient(p, data, order, 0, 20, scratch, plus);
            p[i] = saved - h;
            final double[] minus = new double[2];
            model.meanGradient(p, data, order, 0, 20, scratch, minus);
            p[i] = saved;
            final double numeric = (plus[0] - minus[0]) / 20 / (2.0 * h);
            assertEquals(numeric, grad[i], 1e-3 + 1e-2 * Math.abs(numeric), "d loss / d p[" + i + "]");
        }
    }

    @Test
    void optionsThatCannotWorkAreRejectedNamingTheFlag()
    {
        assertTrue(message(new TrainOptions().epochs(0), 1).startsWith("--epochs"));
        assertTrue(message(new TrainOptions().batchSize(100).samples(50), 1).startsWith("--samples 50"));
        assertTrue(message(new TrainOptions().learningRate(-1f), 1).startsWith("--lr"));
        assertTrue(message(new TrainOptions().dieRank(4), 4).startsWith("--die-rank 4"));
    }

    private static String message(final TrainOptions options, final int worldSize)
    {
        try
        {
            options.validate(worldSize);
        }
        catch (final IllegalArgumentException ex)
        {
            return ex.getMessage();
        }
        throw new AssertionError("accepted");
    }

    static double maxAbsDiff(final float[] a, final float[] b)
    {
        assertEquals(a.length, b.length);
        double max = 0;
        for (int i = 0; i < a.length; i++)
        {
            max = Math.max(max, Math.abs((double)a[i] - b[i]));
        }
        return max;
    }
}
