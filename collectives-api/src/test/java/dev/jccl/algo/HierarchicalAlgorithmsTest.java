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
 * uneven hosts, hosts whose ranks interleave, and layouts where the hierarchy falls back to flat
 * (one host, one rank per host). Allgather and reduce-scatter take equal blocks per rank, so their
 * counts are per block (odd ones cut pipeline segments unevenly).
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
        {"a", "b", "a", "b", "a", "b"},
        {"a", "b", "c", "c", "b", "a"},
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
        for (int root = 0; root < 2 * n; root++)
        {
            // Every root in place, then every root out of place (the root sends from a src of its own).
            final int r0 = root % n;
            final boolean outOfPlace = root >= n;
            final ByteBuffer[] out = new ByteBuffer[n];
            final ByteBuffer[] src = new ByteBuffer[n];
            InMemoryCluster.run(n, ctx ->
            {
                ctx.hierarchy(new HierarchyPattern(hosts, ctx.rank())).segmentBytes(segmentFor(length));
                final ByteBuffer buf = guarded(length);
                final ByteBuffer in = guarded(length);
                for (int i = 0; i < length; i++)
                {
                    buf.put(OFFSET + i, ctx.rank() == r0 && !outOfPlace ? pattern(r0, i) : (byte)0xEE);
                    in.put(OFFSET + i, pattern(r0, i));
                }
                header(ctx, 0, CollectiveKind.BROADCAST, null, null, r0, length);
                if (outOfPlace)
                {
                    algo.broadcast(ctx, in, OFFSET, buf, OFFSET, length, r0);
                }
                else
                {
                    algo.broadcast(ctx, buf, OFFSET, length, r0);
                }
                out[ctx.rank()] = buf;
                src[ctx.rank()] = in;
            });
            final String how = outOfPlace ? " out of place" : " in place";
            for (int r = 0; r < n; r++)
            {
                for (int i = 0; i < length; i++)
                {
                    if (out[r].get(OFFSET + i) != pattern(r0, i))
                    {
                        fail("hosts " + layout + " root " + r0 + how + " rank " + r + ": wrong at byte " + i);
                    }
                    if (src[r].get(OFFSET + i) != pattern(r0, i))
                    {
                        fail("hosts " + layout + " root " + r0 + how + " rank " + r + ": src changed at byte " + i);
                    }
                }
                checkGuards(out[r], length, "rank " + r);
                checkGuards(src[r], length, "rank " + r + " src");
            }
        }
    }

    @ParameterizedTest(name = "hosts {0} blockBytes={1}")
    @MethodSource("layoutsAndCounts")
    void allGatherLeavesEveryBlockInRankOrderOnEveryLayout(final String layout, final int blockLength)
    {
        allGather(hosts(layout), blockLength, 2);
    }

    @ParameterizedTest(name = "hosts {0} blockCount={1}")
    @MethodSource("layoutsAndCounts")
    void reduceScatterLeavesEachRankItsReducedBlockOnEveryLayout(final String layout, final int blockCount)
    {
        reduceScatter(hosts(layout), blockCount, DataType.FLOAT32, ReduceOp.SUM, 2);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("typesAndOps")
    void reduceScatterEveryTypeAndOpOnEvenUnevenAndInterleavedHosts(final String name, final DataType type, final ReduceOp op)
    {
        reduceScatter(hosts("aabb"), 1003, type, op, 1);
        reduceScatter(hosts("aaab"), 77, type, op, 1);
        reduceScatter(hosts("abab"), 5, type, op, 1);
    }

    /** Blocks hold a pattern of their owner; every other byte starts as 0xEE, so a block not delivered shows. */
    static void allGather(final String[] hosts, final int blockLength, final int calls)
    {
        final int n = hosts.length;
        final int bytes = n * blockLength;
        final AllGatherAlgorithm algo = new HierarchicalAllGather();
        final ByteBuffer[] out = new ByteBuffer[n];
        InMemoryCluster.run(n, ctx ->
        {
            ctx.hierarchy(new HierarchyPattern(hosts, ctx.rank())).segmentBytes(segmentFor(blockLength));
            final ByteBuffer buf = guarded(bytes);
            out[ctx.rank()] = buf;
            for (int call = 0; call < calls; call++)
            {
                for (int i = 0; i < bytes; i++)
                {
                    buf.put(OFFSET + i, (byte)0xEE);
                }
                final int mine = ctx.rank() * blockLength;
                for (int i = 0; i < blockLength; i++)
                {
                    buf.put(OFFSET + mine + i, pattern(ctx.rank() + call, i));
                }
                header(ctx, call, CollectiveKind.ALL_GATHER, null, null, -1, blockLength);
                algo.allGather(ctx, buf, OFFSET, blockLength);
                for (int b = 0; b < n; b++)
                {
                    for (int i = 0; i < blockLength; i++)
                    {
                        if (buf.get(OFFSET + b * blockLength + i) != pattern(b + call, i))
                        {
                            fail("hosts " + String.join("", hosts) + " rank " + ctx.rank() + " call " + call +
                                ": block " + b + " wrong at byte " + i);
                        }
                    }
                }
            }
        });
        for (int r = 0; r < n; r++)
        {
            checkGuards(out[r], bytes, "rank " + r);
        }
    }

    /** Each rank's block {@code r} must equal block {@code r} of the reduction of every rank's whole vector. */
    static void reduceScatter(final String[] hosts, final int blockCount, final DataType type, final ReduceOp op, final int calls)
    {
        final int n = hosts.length;
        final int total = n * blockCount;
        final int bytes = total * type.size();
        final int blockBytes = blockCount * type.size();
        final ReduceScatterAlgorithm algo = new HierarchicalReduceScatter();
        final ByteBuffer[] out = new ByteBuffer[n];
        final ByteBuffer[] ref = new ByteBuffer[calls];
        for (int call = 0; call < calls; call++)
        {
            ref[call] = reference(type, op, n, total, call);
        }
        InMemoryCluster.run(n, ctx ->
        {
            ctx.hierarchy(new HierarchyPattern(hosts, ctx.rank())).segmentBytes(segmentFor(blockBytes));
            final ByteBuffer buf = guarded(bytes);
            out[ctx.rank()] = buf;
            for (int call = 0; call < calls; call++)
            {
                fill(buf, OFFSET, type, op, ctx.rank(), total, call);
                header(ctx, call, CollectiveKind.REDUCE_SCATTER, type, op, -1, blockCount);
                algo.reduceScatter(ctx, buf, OFFSET, blockCount, type, op);
                assertBytes(ref[call], ctx.rank() * blockBytes, buf, OFFSET + ctx.rank() * blockBytes,
                    blockBytes, "hosts " + String.join("", hosts) + " rank " + ctx.rank() + " call " + call);
            }
        });
        for (int r = 0; r < n; r++)
        {
            checkGuards(out[r], bytes, "rank " + r);
        }
    }

    /** {@code calls} back-to-back calls, each checked, so a phase that leaves work outstanding shows. */
    static void allReduce(final String[] hosts, final int count, final DataType type, final ReduceOp op, final int calls)
    {
        allReduce(new HierarchicalAllReduce(), hosts, count, type, op, calls);
    }

    /** {@code calls} checked calls of {@code algo} on ranks told their hosts. */
    static void allReduce(
        final AllReduceAlgorithm algo, final String[] hosts, final int count, final DataType type, final ReduceOp op, final int calls)
    {
        final int n = hosts.length;
        final int bytes = count * type.size();
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
