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
        "broadcast:0-1k:ring", "allreduce:rd,barrier:ring", ":ring", "allreduce::ring", "allreduce:0-16k:",
        "allreduce@0:ring", "allreduce@x:ring", "allreduce@4-2:ring", "allreduce@:ring", "allreduce@inf:ring",
        "allreduce@2-:ring", "allreduce@-2:ring", "allreduce@2-3-4:ring", "allreduce@9999999999:ring", "allreduse@2:ring"
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
    void tcpTableMovesTheAllReduceSwitchWithTheWorldSize()
    {
        final AlgorithmSelector tcp = new AlgorithmSelector(AlgorithmRegistry.builtIn(), DefaultRules.TCP);
        assertEquals("rd", tcp.allReduce(DefaultRules.TCP_ALL_REDUCE_RD_BELOW_2 - 1, 2).name());
        assertEquals("ring", tcp.allReduce(DefaultRules.TCP_ALL_REDUCE_RD_BELOW_2, 2).name());
        assertEquals("rd", tcp.allReduce(DefaultRules.TCP_ALL_REDUCE_RD_BELOW_3 - 1, 3).name());
        assertEquals("rhd", tcp.allReduce(DefaultRules.TCP_ALL_REDUCE_RD_BELOW_3, 3).name());
        assertEquals("rhd", tcp.allReduce(DefaultRules.TCP_ALL_REDUCE_RHD_BELOW_3 - 1, 3).name());
        assertEquals("ring", tcp.allReduce(DefaultRules.TCP_ALL_REDUCE_RHD_BELOW_3, 3).name());
        assertEquals("rd", tcp.allReduce(DefaultRules.TCP_ALL_REDUCE_RD_BELOW_4 - 1, 4).name());
        assertEquals("rhd", tcp.allReduce(DefaultRules.TCP_ALL_REDUCE_RD_BELOW_4, 4).name());
        assertEquals("rhd", tcp.allReduce(DefaultRules.TCP_ALL_REDUCE_RHD_BELOW_4 - 1, 4).name());
        assertEquals("ring", tcp.allReduce(DefaultRules.TCP_ALL_REDUCE_RHD_BELOW_4, 4).name());
        for (final int n : new int[] { 5, 8, 64 })
        {
            assertEquals("rd", tcp.allReduce(DefaultRules.TCP_ALL_REDUCE_RD_BELOW_5 - 1, n).name(), "n=" + n);
            assertEquals("ring", tcp.allReduce(DefaultRules.TCP_ALL_REDUCE_RD_BELOW_5, n).name(), "n=" + n);
        }
        assertEquals("rd", tcp.allReduce(1L << 40, 1).name(), "one rank: nothing moves, any algorithm returns at once");
        assertTrue(DefaultRules.TCP_ALL_REDUCE_RD_BELOW_2 > DefaultRules.TCP_ALL_REDUCE_RD_BELOW_5,
            "two ranks: rd moves no more bytes than the ring in half the rounds, so it stays ahead longer");

        assertEquals("bruck", tcp.allGather(DefaultRules.TCP_ALL_GATHER_BRUCK_BELOW - 1, 4).name());
        assertEquals("ring", tcp.allGather(DefaultRules.TCP_ALL_GATHER_BRUCK_BELOW, 4).name());
        assertEquals("binomial", tcp.broadcast(DefaultRules.TCP_BROADCAST_BINOMIAL_BELOW - 1, 4).name());
        assertEquals("chain", tcp.broadcast(DefaultRules.TCP_BROADCAST_BINOMIAL_BELOW, 4).name());
    }

    @Test
    void everyDefaultTableAnswersEveryCallShape()
    {
        for (final DefaultRules table : DefaultRules.values())
        {
            final AlgorithmSelector s = new AlgorithmSelector(AlgorithmRegistry.builtIn(), table);
            for (int n = 1; n <= 17; n++)
            {
                for (final long bytes : new long[] { 0, 1, 8, 64 * 1024, 1 << 20, 3L << 20, 1L << 40 })
                {
                    for (final CollectiveKind kind : CollectiveKind.values())
                    {
                        assertTrue(AlgorithmRegistry.algorithmType(kind).isInstance(s.select(kind, bytes, n)), table + " " + kind);
                    }
                }
            }
        }
    }

    @Test
    void tuningOverridesTheTcpTableOnEveryWorldSize()
    {
        final AlgorithmSelector ring = AlgorithmSelector.fromTuning(DefaultRules.TCP, "allreduce:ring");
        final AlgorithmSelector rd = AlgorithmSelector.fromTuning(DefaultRules.TCP, "allreduce:0-inf:rd");
        for (final int n : new int[] { 2, 3, 4, 9 })
        {
            assertEquals("ring", ring.allReduce(8, n).name());
            assertEquals("rd", rd.allReduce(256L << 20, n).name());
        }
        final AlgorithmSelector gap = AlgorithmSelector.fromTuning(DefaultRules.TCP, "allreduce:1m-2m:ring");
        assertEquals("ring", gap.allReduce(1 << 20, 2).name());
        assertEquals("rd", gap.allReduce(2 << 20, 2).name(), "outside the tuning's range: the TCP table (n=2: rd to 4 MiB)");
    }

    @Test
    void worldSizeQualifiedRulesHoldOnlyForThoseWorldSizes()
    {
        final AlgorithmSelector s = AlgorithmSelector.fromTuning(
            "allreduce@2:0-8m:rd, allreduce@3-4:ring, AllReduce@ 5 - inf :0-1k:ring, broadcast@2:chain");
        assertEquals("rd", s.allReduce((8 << 20) - 1, 2).name());
        assertEquals("ring", s.allReduce(8 << 20, 2).name(), "above the n=2 range: default");
        assertEquals("ring", s.allReduce(8, 3).name());
        assertEquals("ring", s.allReduce(8, 4).name());
        assertEquals("ring", s.allReduce(8, 5).name());
        assertEquals("ring", s.allReduce(1023, 1000).name());
        assertEquals("rd", s.allReduce(1024, 1000).name(), "above the n>=5 range: default");
        assertEquals("chain", s.broadcast(8, 2).name());
        assertEquals("binomial", s.broadcast(8, 3).name(), "n=3 is not in broadcast@2");
    }

    @Test
    void tcpTableToStringIsATuningStringThatRoundTrips()
    {
        final AlgorithmSelector tcp = new AlgorithmSelector(AlgorithmRegistry.builtIn(), DefaultRules.TCP);
        final String text = tcp.toString();
        assertTrue(text.startsWith("allreduce@2:0-4m:rd,allreduce@2:4m-inf:ring,allreduce@3:"), text);
        assertTrue(text.contains("allreduce@4:0-512k:rd,allreduce@4:512k-8m:rhd,allreduce@4:8m-inf:ring,allreduce@5-inf:"), text);
        final AlgorithmSelector parsed = AlgorithmSelector.fromTuning("allreduce:ring,allgather:ring,broadcast:chain").withTuning(text);
        for (int n = 1; n <= 9; n++)
        {
            for (final long bytes : new long[] { 0, 1, 32 * 1024 - 1, 32 * 1024, 512 * 1024 - 1, 512 * 1024, (2 << 20) - 1, 2 << 20, (4 << 20) - 1, 4 << 20, (8 << 20) - 1, 8 << 20, 1L << 40 })
            {
                for (final CollectiveKind kind : CollectiveKind.values())
                {
                    assertSame(tcp.select(kind, bytes, n), parsed.select(kind, bytes, n), kind + " " + bytes + " n=" + n);
                }
            }
        }
    }

    @Test
    void badWorldSizeRangesSayWhatIsExpected()
    {
        final String zero = assertThrows(IllegalArgumentException.class, () -> AlgorithmSelector.fromTuning("allreduce@0:ring")).getMessage();
        assertTrue(zero.contains("JCCL_ALGO") && zero.contains("'@0'") && zero.contains("@N-inf"), zero);
        final String reversed = assertThrows(IllegalArgumentException.class, () -> AlgorithmSelector.fromTuning("allreduce@4-2:ring")).getMessage();
        assertTrue(reversed.contains("'@4-2'") && reversed.contains("allreduce@4-2:ring"), reversed);
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

    @org.junit.jupiter.api.Test
    void hierarchicalDefaultsApplyOnlyWhereAHierarchyPaysAndTuningStillWins()
    {
        final HierarchyPattern twoByTwo = new HierarchyPattern(new String[] {"a", "a", "b", "b"}, 0);
        final AlgorithmSelector plain = AlgorithmSelector.fromTuning(null);
        final AlgorithmSelector hier = plain.forHierarchy(twoByTwo);
        assertEquals(HierarchicalAllReduce.NAME, hier.allReduce(AlgorithmSelector.ALL_REDUCE_HIER_FROM, 4).name());
        assertEquals(RecursiveDoublingAllReduce.NAME, hier.allReduce(AlgorithmSelector.ALL_REDUCE_HIER_FROM - 1, 4).name());
        assertEquals(HierarchicalBroadcast.NAME, hier.broadcast(1 << 20, 4).name());
        assertEquals(HierarchicalAllGather.NAME, hier.allGather(AlgorithmSelector.ALL_REDUCE_HIER_FROM, 4).name());
        assertEquals(RingAllGather.NAME, hier.allGather(AlgorithmSelector.ALL_REDUCE_HIER_FROM - 1, 4).name());
        assertEquals(HierarchicalReduceScatter.NAME, hier.reduceScatter(AlgorithmSelector.ALL_REDUCE_HIER_FROM / 4, 4).name(),
            "reduce-scatter compares one block: four of these make the allreduce switch size");
        assertEquals(RingReduceScatter.NAME, hier.reduceScatter(AlgorithmSelector.ALL_REDUCE_HIER_FROM / 4 - 1, 4).name());
        assertSame(plain, plain.forHierarchy(new HierarchyPattern(new String[] {"a", "b"}, 0)), "one rank per host");
        assertSame(plain, plain.forHierarchy(null));
        final AlgorithmSelector tuned = AlgorithmSelector.fromTuning("allreduce:ring").forHierarchy(twoByTwo);
        assertEquals(RingAllReduce.NAME, tuned.allReduce(64L << 20, 4).name());
        assertEquals(HierarchicalBroadcast.NAME, tuned.broadcast(1 << 20, 4).name());
        assertEquals(RingAllGather.NAME,
            AlgorithmSelector.fromTuning("allgather:ring").forHierarchy(twoByTwo).allGather(64L << 20, 4).name());
        assertEquals(RingReduceScatter.NAME,
            AlgorithmSelector.fromTuning("reducescatter:ring").forHierarchy(twoByTwo).reduceScatter(64L << 20, 4).name());
        assertEquals(HierarchicalReduceScatter.NAME, AlgorithmSelector.fromTuning("reducescatter:hier").reduceScatter(1, 4).name(),
            "JCCL_ALGO names it like the other hier entries");
        assertEquals(HierarchicalAllReduce.NAME,
            AlgorithmSelector.fromTuning("allreduce:0-1k:rd").forHierarchy(twoByTwo).allReduce(1 << 20, 4).name(),
            "a tuning range that does not cover the size falls through to the hierarchy");
    }
}
