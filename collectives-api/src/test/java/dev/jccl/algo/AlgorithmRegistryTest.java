package dev.jccl.algo;

import dev.jccl.wire.CollectiveKind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AlgorithmRegistryTest
{
    private final AlgorithmRegistry registry = AlgorithmRegistry.builtIn();

    @Test
    void builtInNames()
    {
        assertEquals(List.of("ring", "rd", "rhd", "hier", "hier-leader"), registry.names(CollectiveKind.ALL_REDUCE));
        assertEquals(List.of("ring", "bruck", "hier"), registry.names(CollectiveKind.ALL_GATHER));
        assertEquals(List.of("ring", "hier"), registry.names(CollectiveKind.REDUCE_SCATTER));
        assertEquals(List.of("binomial", "chain", "hier"), registry.names(CollectiveKind.BROADCAST));
        assertEquals(List.of("binomial", "ring"), registry.names(CollectiveKind.REDUCE));
        assertEquals(List.of("dissemination"), registry.names(CollectiveKind.BARRIER));
        assertSame(registry, AlgorithmRegistry.builtIn());
    }

    @Test
    void lookupByKindOrKindString()
    {
        assertTrue(registry.lookup(CollectiveKind.ALL_REDUCE, "ring") instanceof RingAllReduce);
        assertTrue(registry.lookup("allreduce", "rd") instanceof RecursiveDoublingAllReduce);
        assertTrue(registry.lookup("allReduce", "RD") instanceof RecursiveDoublingAllReduce);
        assertTrue(registry.lookup("all_gather", "bruck") instanceof BruckAllGather);
        assertTrue(registry.lookup("reducescatter", "ring") instanceof RingReduceScatter);
        assertTrue(registry.lookup("reduce-scatter", "ring") instanceof RingReduceScatter);
        assertTrue(registry.lookup("reduce", "ring") instanceof RingReduce);
        assertTrue(registry.lookup("broadcast", "chain") instanceof ChainBroadcast);
        assertTrue(registry.lookup("barrier", "dissemination") instanceof DisseminationBarrier);
        assertNull(registry.find(CollectiveKind.BROADCAST, "ring"));
        assertFalse(registry.contains(CollectiveKind.BARRIER, "ring"));
        assertEquals(3, registry.list("allgather").size());
        assertTrue(registry.lookup("allgather", "hier") instanceof HierarchicalAllGather);
        assertTrue(registry.lookup("reduce_scatter", "hier") instanceof HierarchicalReduceScatter);
    }

    @Test
    void unknownNamesListTheValidOnes()
    {
        final String m = assertThrows(IllegalArgumentException.class, () -> registry.lookup("broadcast", "ring")).getMessage();
        assertTrue(m.contains("binomial") && m.contains("chain"), m);
        final String k = assertThrows(IllegalArgumentException.class, () -> registry.lookup("gather", "ring")).getMessage();
        assertTrue(k.contains("allgather") && k.contains("reducescatter"), k);
    }

    @Test
    void everyAlgorithmHasANameConstantAndOneLineDescription() throws Exception
    {
        final Map<CollectiveKind, List<Algorithm>> all = registry.all();
        assertEquals(CollectiveKind.values().length, all.size());
        int count = 0;
        for (final Map.Entry<CollectiveKind, List<Algorithm>> e : all.entrySet())
        {
            for (final Algorithm a : e.getValue())
            {
                count++;
                assertTrue(AlgorithmRegistry.algorithmType(e.getKey()).isInstance(a));
                assertEquals(a.getClass().getField("NAME").get(null), a.name());
                assertFalse(a.description().isBlank());
                assertFalse(a.description().contains("\n"));
                assertTrue(a.description().length() < 120, a.description());
            }
        }
        assertEquals(16, count);
        final String listing = registry.describe();
        assertEquals(16, listing.lines().count());
        assertTrue(listing.contains("reducescatter"), listing);
    }

    @Test
    void withChecksTheInterfaceAndIsImmutable()
    {
        assertThrows(IllegalArgumentException.class, () -> registry.with(CollectiveKind.BROADCAST, new RingAllReduce()));
        final AlgorithmRegistry more = registry.with(CollectiveKind.ALL_REDUCE, new RingAllReduce());
        assertEquals(5, more.list(CollectiveKind.ALL_REDUCE).size(), "same name replaces");
        assertThrows(UnsupportedOperationException.class, () -> registry.list(CollectiveKind.ALL_REDUCE).clear());
    }

    @Test
    void kindNames()
    {
        assertEquals("allreduce, broadcast, allgather, reducescatter, reduce, barrier", AlgorithmRegistry.kindNames());
        assertEquals(CollectiveKind.REDUCE_SCATTER, AlgorithmRegistry.parseKind("ReduceScatter"));
        assertNull(AlgorithmRegistry.findKind("scatter"));
    }
}
