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
