package dev.jccl.algo;

import dev.jccl.wire.CollectiveKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.util.stream.Stream;

import static dev.jccl.algo.AlgoTestSupport.*;
import static org.junit.jupiter.api.Assertions.fail;

class AllGatherAlgorithmTest
{
    static Stream<Arguments> matrix()
    {
        return AlgoTestSupport.matrix(RingAllGather.NAME, BruckAllGather.NAME);
    }

    /** {@code count} is the block length in bytes: odd lengths split segments unevenly. */
    @ParameterizedTest(name = "{0} n={1} blockBytes={2}")
    @MethodSource("matrix")
    void everyRankEndsWithEveryBlock(final String name, final int n, final int blockLength)
    {
        final AllGatherAlgorithm algo = (AllGatherAlgorithm)AlgorithmRegistry.builtIn().lookup(CollectiveKind.ALL_GATHER, name);
        final int bytes = n * blockLength;
        final ByteBuffer[] out = new ByteBuffer[n];
        InMemoryCluster.run(n, ctx ->
        {
            ctx.segmentBytes(segmentFor(blockLength));
            final ByteBuffer buf = guarded(bytes);
            for (int i = 0; i < bytes; i++)
            {
                buf.put(OFFSET + i, (byte)0xEE);
            }
            final int mine = ctx.rank() * blockLength;
            for (int i = 0; i < blockLength; i++)
            {
                buf.put(OFFSET + mine + i, pattern(ctx.rank(), i));
            }
            header(ctx, 0, CollectiveKind.ALL_GATHER, null, null, -1, blockLength);
            algo.allGather(ctx, buf, OFFSET, blockLength);
            out[ctx.rank()] = buf;
        });
        for (int r = 0; r < n; r++)
        {
            for (int b = 0; b < n; b++)
            {
                for (int i = 0; i < blockLength; i++)
                {
                    if (out[r].get(OFFSET + b * blockLength + i) != pattern(b, i))
                    {
                        fail(name + " n=" + n + " rank " + r + ": block " + b + " wrong at byte " + i);
                    }
                }
            }
            checkGuards(out[r], bytes, "rank " + r);
        }
    }
}
