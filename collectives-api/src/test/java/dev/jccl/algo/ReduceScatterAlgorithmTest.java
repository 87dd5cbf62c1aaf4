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

class ReduceScatterAlgorithmTest
{
    static Stream<Arguments> matrix()
    {
        return AlgoTestSupport.matrix(RingReduceScatter.NAME);
    }

    static Stream<Arguments> typesAndOps()
    {
        return AlgoTestSupport.typesAndOps(RingReduceScatter.NAME);
    }

    static void check(final String name, final int n, final int blockCount, final DataType type, final ReduceOp op)
    {
        final ReduceScatterAlgorithm algo =
            (ReduceScatterAlgorithm)AlgorithmRegistry.builtIn().lookup(CollectiveKind.REDUCE_SCATTER, name);
        final int total = n * blockCount;
        final int bytes = total * type.size();
        final int blockBytes = blockCount * type.size();
        final ByteBuffer[] out = new ByteBuffer[n];
        InMemoryCluster.run(n, ctx ->
        {
            ctx.segmentBytes(segmentFor(blockBytes));
            final ByteBuffer buf = guarded(bytes);
            fill(buf, OFFSET, type, op, ctx.rank(), total, 0);
            header(ctx, 0, CollectiveKind.REDUCE_SCATTER, type, op, -1, blockCount);
            algo.reduceScatter(ctx, buf, OFFSET, blockCount, type, op);
            out[ctx.rank()] = buf;
        });
        final ByteBuffer ref = reference(type, op, n, total, 0);
        for (int r = 0; r < n; r++)
        {
            assertBytes(ref, r * blockBytes, out[r], OFFSET + r * blockBytes, blockBytes,
                name + " n=" + n + " blockCount=" + blockCount + " rank " + r);
            checkGuards(out[r], bytes, "rank " + r);
        }
    }

    @ParameterizedTest(name = "{0} n={1} blockCount={2}")
    @MethodSource("matrix")
    void float32SumMatchesReference(final String name, final int n, final int blockCount)
    {
        check(name, n, blockCount, DataType.FLOAT32, ReduceOp.SUM);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("typesAndOps")
    void everyTypeAndOp(final String name, final DataType type, final ReduceOp op)
    {
        check(name, 5, 203, type, op);
        check(name, 3, 1, type, op);
    }
}
