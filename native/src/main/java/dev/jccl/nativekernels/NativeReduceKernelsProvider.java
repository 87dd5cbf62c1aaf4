package dev.jccl.nativekernels;

import dev.jccl.kernel.ReduceKernels;
import dev.jccl.kernel.ReduceKernelsProvider;

/**
 * {@link java.util.ServiceLoader} entry for the native kernels ({@code JCCL_KERNELS=native}).
 *
 * <p>Runs the highest instruction-set level the CPU supports, capped by {@code JCCL_NATIVE_ISA}
 * (or the system property {@code jccl.native.isa}): {@code sse2}, {@code avx2} or {@code avx512}.
 * Says which level it chose in one DEBUG log line.
 */
public final class NativeReduceKernelsProvider implements ReduceKernelsProvider
{
    /** System property that caps the level (wins over the environment variable). */
    public static final String ISA_PROPERTY = "jccl.native.isa";
    /** Environment variable that caps the level. */
    public static final String ISA_ENV = "JCCL_NATIVE_ISA";

    private static final System.Logger LOG = System.getLogger(NativeReduceKernelsProvider.class.getName());

    @Override
    public String name()
    {
        return NativeReduceKernels.NAME;
    }

    /**
     * @return the native kernels at the chosen level.
     * @throws IllegalStateException naming why they cannot load here.
     * @throws IllegalArgumentException when {@code JCCL_NATIVE_ISA} names no level.
     */
    @Override
    public ReduceKernels load()
    {
        final String property = System.getProperty(ISA_PROPERTY);
        final Choice choice = choose(NativeLibrary.cpuIsa(), property, System.getenv(ISA_ENV));
        final NativeReduceKernels kernels = NativeReduceKernels.create(choice.isa());
        LOG.log(System.Logger.Level.DEBUG, "JCCL native reduce kernels: " + choice.isa() + " path (" + choice.why()
            + "; CPU features: " + CpuFeatures.describe(NativeLibrary.cpuFeatures()) + ")");
        return kernels;
    }

    /** A level and why it was chosen, for the log line. */
    record Choice(Isa isa, String why)
    {
    }

    /**
     * The level to run, decided from the CPU's level ({@link CpuFeatures#levelFor(int)}) and the cap.
     *
     * @param cpu the highest level the CPU runs.
     * @param property {@code jccl.native.isa}, or null.
     * @param env {@code JCCL_NATIVE_ISA}, or null.
     * @return the lower of the CPU's level and the cap (the property wins over the environment).
     * @throws IllegalArgumentException when the cap names no level.
     */
    static Choice choose(final Isa cpu, final String property, final String env)
    {
        final boolean byProperty = property != null && !property.isBlank();
        final String cap = byProperty ? property : env;
        if (cap == null || cap.isBlank())
        {
            return new Choice(cpu, "highest this CPU runs");
        }
        final Isa wanted = Isa.parse(cap);
        if (wanted.compareTo(cpu) < 0)
        {
            return new Choice(wanted, "capped by " + (byProperty ? ISA_PROPERTY : ISA_ENV) + ", CPU runs " + cpu);
        }
        return new Choice(cpu, "highest this CPU runs; " + (byProperty ? ISA_PROPERTY : ISA_ENV) + "=" + cap + " allows more");
    }
}
