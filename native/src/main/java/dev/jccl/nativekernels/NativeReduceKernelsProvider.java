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
        final Isa cpu = NativeLibrary.cpuIsa();
        final String property = System.getProperty(ISA_PROPERTY);
        final String cap = property != null && !property.isBlank() ? property : System.getenv(ISA_ENV);
        Isa chosen = cpu;
        String why = "highest this CPU runs";
        if (cap != null && !cap.isBlank())
        {
            final Isa wanted = Isa.parse(cap);
            if (wanted.compareTo(cpu) < 0)
            {
                chosen = wanted;
                why = "capped by " + (property != null && !property.isBlank() ? ISA_PROPERTY : ISA_ENV) + ", CPU runs " + cpu;
            }
            else
            {
                why = "highest this CPU runs; " + ISA_ENV + "=" + cap + " allows more";
            }
        }
        final NativeReduceKernels kernels = NativeReduceKernels.create(chosen);
        LOG.log(System.Logger.Level.DEBUG, "JCCL native reduce kernels: " + chosen + " path (" + why + ")");
        return kernels;
    }
}
