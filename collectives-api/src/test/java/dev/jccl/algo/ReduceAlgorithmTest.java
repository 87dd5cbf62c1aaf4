package dev.jccl.algo;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;
import dev.jccl.wire.CollectiveKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.util.stream.Stream;

import static dev.jccl.algo.AlgoTestSupport.*;

class ReduceAlgorithmTest
{
    static Stream<Arguments> matrix()
    {
        return AlgoTestSupport.matrix(BinomialReduce.NAME, RingReduce.NAME);
    }

    static Stream<Arguments> typesAndOps()
    {
        return AlgoTestSupport.typesAndOps(BinomialReduce.NAME, RingReduce.NAME);
    }

    static void check(final String name, final int n, final int count, final DataType type, final ReduceOp op, final int root)
    {
        final ReduceAlgorithm algo = (ReduceAlgorithm)AlgorithmRegistry.builtIn().lookup(CollectiveKind.REDUCE, name);
        final int bytes = count * type.size();
        final ByteBuffer[] out = new ByteBuffer[n];
        InMemoryCluster.run(n, ctx ->
        {
            ctx.segmentBytes(segmentFor(bytes));
            final ByteBuffer buf = guarded(bytes);
            fill(buf, OFFSET, type, op, ctx.rank(), count, root);
            header(ctx, 0, CollectiveKind.REDUCE, type, op, root, count);
            algo.reduce(ctx, buf, OFFSET, count, type, op, root);
            out[ctx.rank()] = buf;
        });
        final ByteBuffer ref = reference(type, op, n, count, root);
        assertBytes(ref, 0, out[root], OFFSET, bytes, name + " n=" + n + " count=" + count + " root " + root);
        for (int r = 0; r < n; r++)
        {
            checkGuards(out[r], bytes, "rank " + r);
        }
    }

    @ParameterizedTest(name = "{0} n={1} count={2}")
    @MethodSource("matrix")
    void float32SumMatchesReferenceForEveryRoot(final String name, final int n, final int count)
    {
        for (final int root : roots(n))
        {
            check(name, n, count, DataType.FLOAT32, ReduceOp.SUM, root);
        }
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("typesAndOps")
    void everyTypeAndOp(final String name, final DataType type, final ReduceOp op)
    {
        check(name, 5, 1003, type, op, 3);
        check(name, 8, 9, type, op, 0);
    }
}
