package dev.jccl.algo;

import dev.jccl.wire.CollectiveKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AlgorithmSelectorTest
{
    private final AlgorithmSelector defaults = new AlgorithmSelector(AlgorithmRegistry.builtIn());

    @Test
    void defaultThresholds()
    {
        assertEquals("rd", defaults.allReduce(0, 4).name());
        assertEquals("rd", defaults.allReduce(512 * 1024 - 1, 4).name());
        assertEquals("ring", defaults.allReduce(512 * 1024, 4).name());
        assertEquals("ring", defaults.allReduce(1L << 40, 4).name());

        assertEquals("bruck", defaults.allGather(32 * 1024 - 1, 8).name());
        assertEquals("ring", defaults.allGather(32 * 1024, 8).name());

        assertEquals("binomial", defaults.broadcast(64 * 1024 - 1, 8).name());
        assertEquals("chain", defaults.broadcast(64 * 1024, 8).name());

        assertEquals("binomial", defaults.reduce(64 * 1024 - 1, 8).name());
        assertEquals("ring", defaults.reduce(64 * 1024, 8).name());

        assertEquals("ring", defaults.reduceScatter(0, 8).name());
        assertEquals("ring", defaults.reduceScatter(1L << 30, 8).name());
        assertEquals("dissemination", defaults.barrier(8).name());
    }

    @Test
    void typedLookupsReturnTheRightClasses()
    {
        assertInstanceOf(RecursiveDoublingAllReduce.class, defaults.allReduce(8, 2));
        assertInstanceOf(RingAllReduce.class, defaults.allReduce(1 << 20, 2));
        assertInstanceOf(BruckAllGather.class, defaults.allGather(8, 2));
        assertInstanceOf(ChainBroadcast.class, defaults.broadcast(1 << 20, 2));
        assertInstanceOf(RingReduce.class, defaults.reduce(1 << 20, 2));
        assertInstanceOf(RingReduceScatter.class, defaults.reduceScatter(8, 2));
        assertInstanceOf(DisseminationBarrier.class, defaults.barrier(2));
    }

    @Test
    void designExampleString()
    {
        final AlgorithmSelector s = AlgorithmSelector.fromTuning("allreduce:0-16k:rd,allreduce:16k-inf:ring,broadcast:chain");
        assertEquals("rd", s.allReduce(16 * 1024 - 1, 8).name());
        assertEquals("ring", s.allReduce(16 * 1024, 8).name());
        assertEquals("ring", s.allReduce(20_000, 8).name());
        assertEquals("chain", s.broadcast(1, 8).name());
        assertEquals("chain", s.broadcast(0, 8).name());
        assertEquals("bruck", s.allGather(100, 8).name(), "untouched kinds keep defaults");
    }

    @Test
    void suffixesCaseAndWhitespace()
    {
        final AlgorithmSelector s = AlgorithmSelector.fromTuning(" AllReduce : 1K-2m : RING , all_reduce:2M-1G:rd,reduce-scatter:ring, allgather:0-512:ring,");
        assertEquals("rd", s.allReduce(1023, 2).name(), "below the range: default");
        assertEquals("ring", s.allReduce(1024, 2).name());
        assertEquals("ring", s.allReduce(2 * 1024 * 1024 - 1, 2).name());
        assertEquals("rd", s.allReduce(2 * 1024 * 1024, 2).name());
        assertEquals("rd", s.allReduce((1L << 30) - 1, 2).name());
        assertEquals("ring", s.allReduce(1L << 30, 2).name(), "above the range: default");
        assertEquals("ring", s.allGather(511, 2).name());
        assertEquals("bruck", s.allGather(512, 2).name());
        assertEquals("chain", AlgorithmSelector.fromTuning("broadcast:0-64kib:chain").broadcast(100, 2).name());
        assertEquals("chain", AlgorithmSelector.fromTuning("broadcast:0-64KB:chain").broadcast(100, 2).name());
    }

    @Test
    void firstRuleInAStringWinsAndLaterTuningOverridesEarlier()
    {
        final AlgorithmSelector s = AlgorithmSelector.fromTuning("allreduce:ring,allreduce:rd");
        assertEquals("ring", s.allReduce(1, 2).name());
        assertEquals("rd", s.withTuning("allreduce:rd").allReduce(1 << 20, 2).name());
        assertEquals("rd", s.force(CollectiveKind.ALL_REDUCE, "rd").allReduce(1 << 20, 2).name());
        assertEquals("binomial", s.force("broadcast", "binomial").broadcast(1 << 30, 2).name());
    }

    @Test
    void nullOrEmptyChangesNothing()
    {
        assertSame(defaults, defaults.withTuning(null));
        assertSame(defaults, defaults.withTuning(""));
        assertSame(defaults, defaults.withTuning("   "));
        assertEquals(defaults.toString(), AlgorithmSelector.fromTuning(null).toString());
        assertEquals(defaults.toString(), defaults.withTuning(" , ").toString());
    }

    @Test
    void selectorsAreImmutable()
    {
        final String before = defaults.toString();
        defaults.withTuning("allreduce:ring");
        defaults.force(CollectiveKind.BARRIER, "dissemination");
        assertEquals(before, defaults.toString());
        assertEquals("rd", defaults.allReduce(1, 2).name());
    }

    @Test
    void toStringIsATuningString()
    {
        final String text = defaults.toString();
        assertTrue(text.startsWith("allreduce:0-512k:rd,allreduce:512k-inf:ring,"), text);
        final AlgorithmSelector parsed = AlgorithmSelector.fromTuning("allreduce:rd,broadcast:chain,reduce:ring").withTuning(text);
        for (final long bytes : new long[] { 0, 1, 32 * 1024 - 1, 32 * 1024, 64 * 1024 - 1, 64 * 1024, 512 * 1024 - 1, 512 * 1024, 1L << 40 })
        {
            for (final CollectiveKind kind : CollectiveKind.values())
            {
                assertSame(defaults.select(kind, bytes, 4), parsed.select(kind, bytes, 4), kind + " " + bytes);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "allreduce", "allreduce:foo", "foo:ring", "allreduce:16x-inf:ring", "allreduce:16k-8k:ring",
        "allreduce:inf-16k:ring", "allreduce:1-2-3:ring", "allreduce:0-16k:rd:extra", "allreduce:-16k:rd",
        "allreduce:0-:rd", "allreduce:16k:rd", "allreduce:0-99999999999999999999:rd", "allreduce:0-9000000000g:rd",
        "broadcast:0-1k:ring", "allreduce:rd,barrier:ring", ":ring", "allreduce::ring", "allreduce:0-16k:"
    })
    void badStringsNameTheVariableAndTheBadPart(final String tuning)
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AlgorithmSelector.fromTuning(tuning));
        assertTrue(e.getMessage().contains("JCCL_ALGO"), e.getMessage());
        assertTrue(e.getMessage().contains("'"), e.getMessage());
    }

    @Test
    void errorMessagesListTheValidChoices()
    {
        final String unknownAlgo = assertThrows(IllegalArgumentException.class,
            () -> AlgorithmSelector.fromTuning("allreduce:0-16k:rd,allreduce:16k-inf:rong")).getMessage();
        assertTrue(unknownAlgo.contains("'rong'") && unknownAlgo.contains("ring") && unknownAlgo.contains("rd"), unknownAlgo);
        assertTrue(unknownAlgo.contains("allreduce:16k-inf:rong"), unknownAlgo);

        final String unknownKind = assertThrows(IllegalArgumentException.class,
            () -> AlgorithmSelector.fromTuning("allreduse:ring")).getMessage();
        assertTrue(unknownKind.contains("'allreduse'") && unknownKind.contains("reducescatter") && unknownKind.contains("barrier"), unknownKind);

        final String badSize = assertThrows(IllegalArgumentException.class,
            () -> AlgorithmSelector.fromTuning("allreduce:16x-inf:ring")).getMessage();
        assertTrue(badSize.contains("'16x'") && badSize.contains("inf"), badSize);

        final String forced = assertThrows(IllegalArgumentException.class,
            () -> defaults.force(CollectiveKind.BROADCAST, "ring")).getMessage();
        assertTrue(forced.contains("binomial") && forced.contains("chain"), forced);
    }

    @Test
    void badArguments()
    {
        assertThrows(IllegalArgumentException.class, () -> defaults.allReduce(-1, 2));
        assertThrows(IllegalArgumentException.class, () -> defaults.allReduce(1, 0));
    }

    @Test
    void customRegistryAlgorithmsCanBeSelected()
    {
        final BarrierAlgorithm custom = new BarrierAlgorithm()
        {
            @Override
            public void barrier(final CollectiveContext ctx)
            {
            }

            @Override
            public String name()
            {
                return "noop";
            }

            @Override
            public String description()
            {
                return "does nothing";
            }
        };
        final AlgorithmSelector s = new AlgorithmSelector(AlgorithmRegistry.builtIn().with(CollectiveKind.BARRIER, custom))
            .withTuning("barrier:noop");
        assertSame(custom, s.barrier(4));
    }
}
