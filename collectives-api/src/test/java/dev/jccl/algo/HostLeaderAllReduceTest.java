package dev.jccl.algo;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;
import dev.jccl.wire.CollectiveKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.jccl.algo.AlgoTestSupport.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code hier-leader} over threads told their fake hosts: every layout of the hierarchical tests, every type and op. */
class HostLeaderAllReduceTest
{
    static Stream<Arguments> layoutsAndCounts()
    {
        final List<Arguments> out = new ArrayList<>();
        for (final String[] hosts : HierarchicalAlgorithmsTest.LAYOUTS)
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
        return AlgoTestSupport.typesAndOps(HostLeaderAllReduce.NAME);
    }

    @ParameterizedTest(name = "hosts {0} count={1}")
    @MethodSource("layoutsAndCounts")
    void leadersCarryTheNetworkPartOnEveryLayout(final String layout, final int count)
    {
        allReduce(layout.split(""), count, DataType.FLOAT32, ReduceOp.SUM, 2);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("typesAndOps")
    void everyTypeAndOpOnEvenAndUnevenHosts(final String name, final DataType type, final ReduceOp op)
    {
        allReduce("aabb".split(""), 1003, type, op, 1);
        allReduce("abab".split(""), 77, type, op, 1);
    }

    @Test
    void isRegisteredForJcclAlgoByItsName()
    {
        assertEquals(HostLeaderAllReduce.NAME,
            AlgorithmRegistry.builtIn().lookup(CollectiveKind.ALL_REDUCE, "hier-leader").name());
    }

    private static void allReduce(final String[] hosts, final int count, final DataType type, final ReduceOp op, final int calls)
    {
        HierarchicalAlgorithmsTest.allReduce(new HostLeaderAllReduce(), hosts, count, type, op, calls);
    }
}
