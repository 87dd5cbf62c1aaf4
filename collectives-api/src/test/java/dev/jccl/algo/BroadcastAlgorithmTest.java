package dev.jccl.algo;

import dev.jccl.wire.CollectiveKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.util.stream.Stream;

import static dev.jccl.algo.AlgoTestSupport.*;
import static org.junit.jupiter.api.Assertions.fail;

class BroadcastAlgorithmTest
{
    static Stream<Arguments> matrix()
    {
        return AlgoTestSupport.matrix(BinomialBroadcast.NAME, ChainBroadcast.NAME);
    }

    /** {@code count} is the message length in bytes. */
    @ParameterizedTest(name = "{0} n={1} bytes={2}")
    @MethodSource("matrix")
    void everyRankGetsTheRootsBytesForEveryRoot(final String name, final int n, final int length)
    {
        final BroadcastAlgorithm algo = (BroadcastAlgorithm)AlgorithmRegistry.builtIn().lookup(CollectiveKind.BROADCAST, name);
        for (final int root : roots(n))
        {
            final ByteBuffer[] out = new ByteBuffer[n];
            InMemoryCluster.run(n, ctx ->
            {
                ctx.segmentBytes(segmentFor(length));
                final ByteBuffer buf = guarded(length);
                for (int i = 0; i < length; i++)
                {
                    buf.put(OFFSET + i, ctx.rank() == root ? pattern(root, i) : (byte)0xEE);
                }
                header(ctx, 0, CollectiveKind.BROADCAST, null, null, root, length);
                algo.broadcast(ctx, buf, OFFSET, length, root);
                out[ctx.rank()] = buf;
            });
            for (int r = 0; r < n; r++)
            {
                for (int i = 0; i < length; i++)
                {
                    if (out[r].get(OFFSET + i) != pattern(root, i))
                    {
                        fail(name + " n=" + n + " root " + root + " rank " + r + ": wrong at byte " + i);
                    }
                }
                checkGuards(out[r], length, "rank " + r);
            }
        }
    }

    /** Out of place: the root's src is left as it was and every rank's dst, the root's too, gets it. */
    @ParameterizedTest(name = "{0} n={1} bytes={2}")
    @MethodSource("matrix")
    void outOfPlaceLeavesTheRootsSourceAndFillsEveryDestination(final String name, final int n, final int length)
    {
        final BroadcastAlgorithm algo = (BroadcastAlgorithm)AlgorithmRegistry.builtIn().lookup(CollectiveKind.BROADCAST, name);
        for (final int root : roots(n))
        {
            final ByteBuffer[] src = new ByteBuffer[n];
            final ByteBuffer[] dst = new ByteBuffer[n];
            InMemoryCluster.run(n, ctx ->
            {
                ctx.segmentBytes(segmentFor(length));
                final ByteBuffer in = guarded(length);
                final ByteBuffer out = guarded(length);
                for (int i = 0; i < length; i++)
                {
                    in.put(OFFSET + i, ctx.rank() == root ? pattern(root, i) : (byte)0x5A);
                    out.put(OFFSET + i, (byte)0xEE);
                }
                header(ctx, 0, CollectiveKind.BROADCAST, null, null, root, length);
                algo.broadcast(ctx, in, OFFSET, out, OFFSET, length, root);
                src[ctx.rank()] = in;
                dst[ctx.rank()] = out;
            });
            for (int r = 0; r < n; r++)
            {
                for (int i = 0; i < length; i++)
                {
                    if (dst[r].get(OFFSET + i) != pattern(root, i))
                    {
                        fail(name + " n=" + n + " root " + root + " rank " + r + ": dst wrong at byte " + i);
                    }
                    if (src[r].get(OFFSET + i) != (r == root ? pattern(root, i) : (byte)0x5A))
                    {
                        fail(name + " n=" + n + " root " + root + " rank " + r + ": src changed at byte " + i);
                    }
                }
                checkGuards(dst[r], length, "rank " + r + " dst");
                checkGuards(src[r], length, "rank " + r + " src");
            }
        }
    }
}
