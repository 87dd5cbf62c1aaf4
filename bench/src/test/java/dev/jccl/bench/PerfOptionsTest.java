package dev.jccl.bench;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PerfOptionsTest
{
    @Test
    void defaultsAreNcclTestsDefaults()
    {
        final PerfOptions o = PerfOptions.parse("all_reduce");
        assertEquals("all_reduce", o.collective());
        assertEquals(32L << 20, o.minBytes());
        assertEquals(32L << 20, o.maxBytes());
        assertEquals(20, o.iters());
        assertEquals(5, o.warmupIters());
        assertEquals(5000, o.warmupMillis());
        assertEquals(1, o.checkIters());
        assertEquals(List.of(DataType.FLOAT32), o.types());
        assertEquals(List.of(ReduceOp.SUM), o.ops());
        assertEquals(0, o.root());
        assertEquals(TimeAggregation.AVG, o.aggregation());
        assertEquals(1, o.cycles());
        assertEquals(0, o.threads());
        assertEquals(List.of(32L << 20), o.sizes());
    }

    @Test
    void readsNcclTestsShortFlags()
    {
        final PerfOptions o = PerfOptions.parse(
            "all_gather", "-b", "8", "-e", "128M", "-f", "2", "-n", "50", "-w", "3", "-c", "0", "-d", "half",
            "-o", "max", "-r", "1", "-a", "3", "-N", "2", "-t", "4");
        assertEquals(8, o.minBytes());
        assertEquals(128L << 20, o.maxBytes());
        assertEquals(2, o.stepFactor());
        assertEquals(50, o.iters());
        assertEquals(3, o.warmupIters());
        assertEquals(0, o.checkIters());
        assertEquals(List.of(DataType.FLOAT16), o.types());
        assertEquals(List.of(ReduceOp.MAX), o.ops());
        assertEquals(1, o.root());
        assertEquals(TimeAggregation.MAX, o.aggregation());
        assertEquals(2, o.cycles());
        assertEquals(4, o.threads());
        assertEquals(25, o.sizes().size());
    }

    @Test
    void iterBytesShrinksIterationsOfLargeSizesOnly()
    {
        final PerfOptions o = PerfOptions.parse("all_reduce", "-b", "8", "-e", "256M", "-f", "2", "-n", "1000", "-w", "100",
            "--iter-bytes", "1G");
        assertEquals(1L << 30, o.iterBytes());
        assertEquals(1000, o.itersFor(8));
        assertEquals(100, o.warmupFor(8));
        assertEquals(1000, o.itersFor(1L << 20));
        assertEquals(512, o.itersFor(2L << 20));
        assertEquals(51, o.warmupFor(2L << 20));
        assertEquals(16, o.itersFor(64L << 20));
        assertEquals(1, o.warmupFor(64L << 20));
        assertEquals(4, o.itersFor(256L << 20));
        assertEquals(3, o.itersFor(1L << 31), "at least 3 timed iterations");
        assertEquals(1, o.warmupFor(1L << 31), "at least 1 warm-up when -w asked for any");
    }

    @Test
    void withoutIterBytesEverySizeRunsNAndW()
    {
        final PerfOptions o = PerfOptions.parse("all_reduce", "-n", "7", "-w", "2");
        assertEquals(7, o.itersFor(1L << 30));
        assertEquals(2, o.warmupFor(1L << 30));
        assertThrows(UsageException.class, () -> PerfOptions.parse("all_reduce", "--iter-bytes", "0"));
        assertEquals(0, PerfOptions.parse("all_reduce", "--warmup-ms", "0").warmupMillis());
        assertEquals(20000, PerfOptions.parse("all_reduce", "--warmup-ms", "20000").warmupMillis());
        final UsageException negative = assertThrows(UsageException.class, () -> PerfOptions.parse("all_reduce", "--warmup-ms", "-1"));
        assertTrue(negative.getMessage().contains("--warmup-ms"), negative.getMessage());
    }

    @Test
    void readsAttachedValuesAndLongNames()
    {
        final PerfOptions o = PerfOptions.parse("broadcast", "-b8", "--maxbytes=1K", "--stepfactor", "4", "--iters=7", "--datatype", "bfloat16");
        assertEquals(8, o.minBytes());
        assertEquals(1024, o.maxBytes());
        assertEquals(List.of(8L, 32L, 128L, 512L), o.sizes());
        assertEquals(7, o.iters());
        assertEquals(List.of(DataType.BFLOAT16), o.types());
    }

    @Test
    void incrementStepsWhenNoFactorIsGiven()
    {
        final PerfOptions o = PerfOptions.parse("all_reduce", "-b", "1K", "-e", "4K", "-i", "1K");
        assertEquals(List.of(1024L, 2048L, 3072L, 4096L), o.sizes());
    }

    @Test
    void allSelectsEveryTypeAndEveryOpInNcclOrder()
    {
        final PerfOptions o = PerfOptions.parse("all_reduce", "-d", "all", "-o", "all");
        assertEquals(10, o.types().size());
        assertEquals(DataType.INT8, o.types().get(0));
        assertEquals(DataType.BFLOAT16, o.types().get(9));
        assertEquals(List.of(ReduceOp.SUM, ReduceOp.PROD, ReduceOp.MAX, ReduceOp.MIN, ReduceOp.AVG), o.ops());
    }

    @Test
    void acceptsEveryNcclTypeName()
    {
        for (final String name : List.of("float", "half", "bfloat16", "double", "int8", "uint8", "int32", "uint32", "int64", "uint64"))
        {
            final DataType t = Names.parseType(name);
            assertEquals(name, Names.typeName(t));
        }
    }

    @Test
    void acceptsNcclTestsBinaryNamesAsSubcommands()
    {
        assertEquals("all_reduce", PerfOptions.parse("all_reduce_perf").collective());
        assertEquals("reduce_scatter", PerfOptions.parse("reduce_scatter_perf").collective());
        assertEquals("barrier", PerfOptions.parse("barrier").collective());
    }

    @Test
    void severalAlgorithmsAndTransportsBecomeVariants()
    {
        final PerfOptions o = PerfOptions.parse("all_reduce", "--algo", "ring,rd", "--transport", "tcp");
        assertEquals(List.of(new PerfOptions.Variant("ring", "tcp"), new PerfOptions.Variant("rd", "tcp")), o.variants());
    }

    @Test
    void aTuningStringWithColonsIsOneVariant()
    {
        final PerfOptions o = PerfOptions.parse("all_reduce", "--algo", "allreduce:0-16k:rd,allreduce:16k-inf:ring");
        assertEquals(1, o.variants().size());
        assertEquals("allreduce:0-16k:rd,allreduce:16k-inf:ring", o.variants().get(0).algo());
    }

    @Test
    void noAlgoOrTransportIsOneDefaultVariant()
    {
        final PerfOptions.Variant v = PerfOptions.parse("all_reduce").variants().get(0);
        assertNull(v.algo());
        assertNull(v.transport());
        assertEquals("auto/auto", v.label());
    }

    @Test
    void readsOutputFiles()
    {
        final PerfOptions o = PerfOptions.parse("all_reduce", "--json", "a.json", "--csv", "b.csv", "--plot", "c.png", "--mem", "heap");
        assertEquals(Path.of("a.json"), o.json());
        assertEquals(Path.of("b.csv"), o.csv());
        assertEquals(Path.of("c.png"), o.plot());
        assertEquals("heap", o.memory());
    }

    @Test
    void rootAllMeansEveryRank()
    {
        assertEquals(-1, PerfOptions.parse("broadcast", "-r", "all").root());
        assertEquals(-1, PerfOptions.parse("broadcast", "-r", "-1").root());
    }

    @Test
    void listAlgosNeedsNoCollective()
    {
        final PerfOptions o = PerfOptions.parse("--list-algos");
        assertTrue(o.listAlgos());
        assertNull(o.collective());
        assertFalse(o.help());
    }

    @Test
    void rejectsBadCommandLines()
    {
        assertThrows(UsageException.class, () -> PerfOptions.parse());
        assertThrows(UsageException.class, () -> PerfOptions.parse("all_to_all"));
        assertThrows(UsageException.class, () -> PerfOptions.parse("all_reduce", "-b"));
        assertThrows(UsageException.class, () -> PerfOptions.parse("all_reduce", "-q", "1"));
        assertThrows(UsageException.class, () -> PerfOptions.parse("all_reduce", "-n", "0"));
        assertThrows(UsageException.class, () -> PerfOptions.parse("all_reduce", "-d", "float8"));
        assertThrows(UsageException.class, () -> PerfOptions.parse("all_reduce", "-o", "xor"));
        assertThrows(UsageException.class, () -> PerfOptions.parse("all_reduce", "-a", "4"));
        assertThrows(UsageException.class, () -> PerfOptions.parse("all_reduce", "-b", "1M", "-e", "1K"));
        assertThrows(UsageException.class, () -> PerfOptions.parse("all_reduce", "--transport", "ib"));
        assertThrows(UsageException.class, () -> PerfOptions.parse("all_reduce", "--mem", "gpu"));
        assertThrows(UsageException.class, () -> PerfOptions.parse("all_reduce", "broadcast"));
    }
}
