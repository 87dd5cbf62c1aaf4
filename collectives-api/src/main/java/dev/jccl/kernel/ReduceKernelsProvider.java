package dev.jccl.kernel;

/**
 * {@link java.util.ServiceLoader} entry for kernel implementations other than the Java ones.
 * {@link Kernels#select} asks each provider; one that cannot load says why.
 */
public interface ReduceKernelsProvider
{
    /** Name matched against {@code JCCL_KERNELS} (for example "native"). */
    String name();

    /**
     * Loads the kernels.
     *
     * @return the kernels, never null.
     * @throws IllegalStateException naming why they cannot run on this machine.
     */
    ReduceKernels load();
}
