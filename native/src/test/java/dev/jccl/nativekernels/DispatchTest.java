package dev.jccl.nativekernels;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;
import dev.jccl.kernel.Kernels;
import dev.jccl.kernel.ReduceKernels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Loading, choosing the instruction-set level, and being found through ServiceLoader. */
class DispatchTest
{
    @AfterEach
    void clearCap()
    {
        System.clearProperty(NativeReduceKernelsProvider.ISA_PROPERTY);
    }

    @Test
    void libraryLoadsOnLinuxX86And64AndReportsTheCpuLevel()
    {
        final Isa cpu = NativeReduceKernels.cpuIsa();
        System.out.println("native kernels: this CPU runs " + cpu);
        assertTrue(cpu.compareTo(Isa.SSE2) >= 0);
    }

    @ParameterizedTest
    @EnumSource(Isa.class)
    void everyLevelUpToTheCpusCanBeForcedAndHigherOnesAreRefused(final Isa isa)
    {
        final Isa cpu = NativeReduceKernels.cpuIsa();
        if (isa.compareTo(cpu) <= 0)
        {
            assertSame(isa, NativeReduceKernels.create(isa).isa());
        }
        else
        {
            final IllegalStateException refused = assertThrows(IllegalStateException.class, () -> NativeReduceKernels.create(isa));
            assertTrue(refused.getMessage().contains(isa.label()), refused.getMessage());
        }
    }

    @Test
    void providerRunsTheHighestLevelWithoutACap()
    {
        final ReduceKernels kernels = new NativeReduceKernelsProvider().load();
        assertEquals("native", kernels.name());
        assertSame(NativeReduceKernels.cpuIsa(), ((NativeReduceKernels)kernels).isa());
    }

    @Test
    void providerHonoursTheIsaCapProperty()
    {
        System.setProperty(NativeReduceKernelsProvider.ISA_PROPERTY, "SSE2");
        assertSame(Isa.SSE2, ((NativeReduceKernels)new NativeReduceKernelsProvider().load()).isa());
        // a cap above the CPU's level runs the CPU's level
        System.setProperty(NativeReduceKernelsProvider.ISA_PROPERTY, "avx512");
        assertSame(NativeReduceKernels.cpuIsa(), ((NativeReduceKernels)new NativeReduceKernelsProvider().load()).isa());
    }

    @Test
    void theDispatchDecisionNeedsEveryFeatureOfALevel()
    {
        final int avx2 = CpuFeatures.AVX2 | CpuFeatures.F16C;
        final int avx512 = avx2 | CpuFeatures.AVX512F | CpuFeatures.AVX512BW | CpuFeatures.AVX512DQ | CpuFeatures.AVX512VL;
        // a CPU without AVX2 (any x86-64 has SSE2)
        assertSame(Isa.SSE2, CpuFeatures.levelFor(0));
        assertSame(Isa.SSE2, CpuFeatures.levelFor(CpuFeatures.F16C));
        // AVX2 without F16C (the avx2 path converts binary16 with F16C)
        assertSame(Isa.SSE2, CpuFeatures.levelFor(CpuFeatures.AVX2));
        assertSame(Isa.AVX2, CpuFeatures.levelFor(avx2));
        // AVX-512 needs F, BW, DQ and VL, and the avx2 features under them
        assertSame(Isa.AVX2, CpuFeatures.levelFor(avx512 & ~CpuFeatures.AVX512VL));
        assertSame(Isa.AVX2, CpuFeatures.levelFor(avx512 & ~CpuFeatures.AVX512BW));
        assertSame(Isa.SSE2, CpuFeatures.levelFor(avx512 & ~CpuFeatures.F16C));
        assertSame(Isa.AVX512, CpuFeatures.levelFor(avx512));
    }

    @Test
    void thisCpusLevelIsTheDecisionForItsFeatures()
    {
        final int features = CpuFeatures.ofThisCpu();
        System.out.println("native kernels: CPU features " + CpuFeatures.describe(features));
        assertSame(CpuFeatures.levelFor(features), NativeReduceKernels.cpuIsa());
        assertEquals("avx2 f16c", CpuFeatures.describe(CpuFeatures.AVX2 | CpuFeatures.F16C));
        assertEquals("none", CpuFeatures.describe(0));
    }

    @Test
    void jcclKernelsNativeOnACpuWithoutAvx2RunsTheSse2Path()
    {
        // what the provider decides on such a CPU, with and without a cap
        final Isa cpu = CpuFeatures.levelFor(0);
        assertSame(Isa.SSE2, NativeReduceKernelsProvider.choose(cpu, null, null).isa());
        assertSame(Isa.SSE2, NativeReduceKernelsProvider.choose(cpu, null, "avx512").isa());
        assertSame(Isa.SSE2, NativeReduceKernelsProvider.choose(cpu, "avx2", null).isa());
        // and the sse2 kernels run here (every CPU this library loads on can run them)
        assertSame(Isa.SSE2, NativeReduceKernels.create(Isa.SSE2).isa());
    }

    @Test
    void theCapComesFromThePropertyBeforeTheEnvironmentAndTheLogLineSaysWhich()
    {
        final NativeReduceKernelsProvider.Choice capped = NativeReduceKernelsProvider.choose(Isa.AVX512, "sse2", "avx2");
        assertSame(Isa.SSE2, capped.isa());
        assertTrue(capped.why().contains(NativeReduceKernelsProvider.ISA_PROPERTY), capped.why());
        final NativeReduceKernelsProvider.Choice byEnv = NativeReduceKernelsProvider.choose(Isa.AVX512, " ", "avx2");
        assertSame(Isa.AVX2, byEnv.isa());
        assertTrue(byEnv.why().contains(NativeReduceKernelsProvider.ISA_ENV), byEnv.why());
        assertSame(Isa.AVX2, NativeReduceKernelsProvider.choose(Isa.AVX2, null, "avx512").isa());
        assertThrows(IllegalArgumentException.class, () -> NativeReduceKernelsProvider.choose(Isa.AVX2, null, "neon"));
    }

    @Test
    void providerRejectsAnUnknownIsaName()
    {
        System.setProperty(NativeReduceKernelsProvider.ISA_PROPERTY, "neon");
        final IllegalArgumentException rejected = assertThrows(IllegalArgumentException.class, () -> new NativeReduceKernelsProvider().load());
        assertTrue(rejected.getMessage().contains("neon"), rejected.getMessage());
    }

    @Test
    void kernelsSelectNativeFindsThisProviderThroughServiceLoader()
    {
        assertInstanceOf(NativeReduceKernels.class, Kernels.select("native"));
        assertInstanceOf(NativeReduceKernels.class, Kernels.select("auto"));
    }

    @Test
    void otherPlatformsAreRefusedWithOneLineNamingTheirPlatform()
    {
        final String reason = NativeLibrary.platformProblem("linux-arm64");
        assertTrue(reason.contains("linux-arm64") && reason.contains("linux-x86_64"), reason);
        assertEquals(null, NativeLibrary.platformProblem("linux-x86_64"));
        assertEquals("first", NativeLibrary.firstLine("first\nsecond"));
    }

    @Test
    void argumentsAreCheckedAsTheJavaKernelsCheckThem()
    {
        final NativeReduceKernels kernels = NativeReduceKernels.create(NativeReduceKernels.cpuIsa());
        assertThrows(IllegalArgumentException.class, () -> kernels.reduce(DataType.FLOAT32, ReduceOp.SUM, 0, 0, -1));
        assertThrows(NullPointerException.class, () -> kernels.reduce(DataType.FLOAT32, null, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> kernels.divide(DataType.FLOAT32, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> kernels.divide(DataType.INT32, 0, -1, 2));
        kernels.reduce(DataType.FLOAT32, ReduceOp.SUM, 0, 0, 0, 0); // count 0 touches nothing
    }

    @Test
    void smallCountsGoToTheJavaKernelsAndLargeOnesToNativeCode()
    {
        final NativeReduceKernels kernels = NativeReduceKernels.create(NativeReduceKernels.cpuIsa());
        for (final DataType type : DataType.values())
        {
            assertTrue(kernels.minNativeCount(type) > 0, type.toString());
            assertTrue(kernels.minNativeCount(type) <= 4096, type.toString());
        }
        assertEquals(0, NativeReduceKernels.alwaysNative(Isa.SSE2).minNativeCount(DataType.FLOAT32));
    }
}
