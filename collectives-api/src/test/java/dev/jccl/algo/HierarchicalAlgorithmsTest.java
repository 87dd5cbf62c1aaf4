package dev.jccl.algo;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;
import dev.jccl.wire.CollectiveKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.jccl.algo.AlgoTestSupport.*;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The hierarchical algorithms over threads, each rank told which fake host it is on: even and
 * uneven hosts, hosts whose ranks interleave, and layouts where the hierarchy falls back to flat.
 */
class HierarchicalAlgorithmsTest
{
    static final String[][] LAYOUTS = {
        {"a", "a", "b", "b"},
        {"a", "b", "a", "b"},
        {"a", "a", "a", "b", "b", "b"},
        {"a", "a", "b", "b", "c", "c", "d", "d"},
        {"a", "a", "a", "b"},
        {"b", "a", "a", "c", "b"},
        {"a", "a", "a"},
        {"a", "b", "c"},
    };

    static Stream<Arguments> layoutsAndCounts()
    {
        final List<Arguments> out = new ArrayList<>();
        for (final String[] hosts : LAYOUTS)
        {
            for (final int count : COUNTS)
            {
                out.add(Arguments.of(String.join("", hosts), count));
            }
        }
        return out.stream();
    }

    static Stream<Arguments> typesAndOps()
    {
        return AlgoTestSupport.typesAndOps(HierarchicalAllReduce.NAME);
    }

    private static String[] hosts(final String layout)
    {
        return layout.split("");
    }

    @ParameterizedTest(name = "hosts {0} count={1}")
    @MethodSource("layoutsAndCounts")
    void allReduceMatchesTheReferenceOnEveryLayout(final String layout, final int count)
    {
        allReduce(hosts(layout), count, DataType.FLOAT32, ReduceOp.SUM, 2);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("typesAndOps")
    void allReduceEveryTypeAndOpOnTwoHostsOfTwoAndUnevenHosts(final String name, final DataType type, final ReduceOp op)
    {
        allReduce(hosts("aabb"), 1003, type, op, 1);
        allReduce(hosts("aaab"), 77, type, op, 1);
    }

    @ParameterizedTest(name = "hosts {0} bytes={1}")
    @MethodSource("layoutsAndCounts")
    void broadcastReachesEveryRankFromEveryRoot(final String layout, final int length)
    {
        final String[] hosts = hosts(layout);
        final int n = hosts.length;
        final BroadcastAlgorithm algo = new HierarchicalBroadcast();
        for (int root = 0; root < n; root++)
        {
            final int r0 = root;
            final ByteBuffer[] out = new ByteBuffer[n];
            InMemoryCluster.run(n, ctx ->
            {
                ctx.hierarchy(new HierarchyPattern(hosts, ctx.rank())).segmentBytes(segmentFor(length));
                final ByteBuffer buf = guarded(length);
                for (int i = 0; i < length; i++)
                {
                    buf.put(OFFSET + i, ctx.rank() == r0 ? pattern(r0, i) : (byte)0xEE);
                }
                header(ctx, 0, CollectiveKind.BROADCAST, null, null, r0, length);
                algo.broadcast(ctx, buf, OFFSET, length, r0);
                out[ctx.rank()] = buf;
            });
            for (int r = 0; r < n; r++)
            {
                for (int i = 0; i < length; i++)
                {
                    if (out[r].get(OFFSET + i) != pattern(r0, i))
                    {
                        fail("hosts " + layout + " root " + r0 + " rank " + r + ": wrong at byte " + i);
                    }
                }
                checkGuards(out[r], length, "rank " + r);
            }
        }
    }

    /** {@code calls} back-to-back calls, each checked, so a phase that leaves work outstanding shows. */
    static void allReduce(final String[] hosts, final int count, final DataType type, final ReduceOp op, final int calls)
    {
        final int n = hosts.length;
        final int bytes = count * type.size();
        final AllReduceAlgorithm algo = new HierarchicalAllReduce();
        final ByteBuffer[] out = new ByteBuffer[n];
        InMemoryCluster.run(n, ctx ->
        {
            ctx.hierarchy(new HierarchyPattern(hosts, ctx.rank())).segmentBytes(segmentFor(bytes));
            final ByteBuffer buf = guarded(bytes);
            out[ctx.rank()] = buf;
            for (int call = 0; call < calls; call++)
            {
                fill(buf, OFFSET, type, op, ctx.rank(), count, call);
                header(ctx, call, CollectiveKind.ALL_REDUCE, type, op, -1, count);
                algo.allReduce(ctx, buf, OFFSET, count, type, op);
                assertBytes(reference(type, op, n, count, call), 0, buf, OFFSET, bytes,
                    "hosts " + String.join("", hosts) + " rank " + ctx.rank() + " call " + call);
            }
        });
        for (int r = 0; r < n; r++)
        {
            checkGuards(out[r], bytes, "rank " + r);
        }
    }
}
