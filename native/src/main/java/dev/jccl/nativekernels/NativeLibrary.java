package dev.jccl.nativekernels;

import org.bytedeco.javacpp.Loader;

/**
 * Loads {@code libjniJcclReduce.so} once per JVM and remembers either the highest {@link Isa} the
 * CPU runs or the one-line reason it cannot load (another OS or CPU architecture, a glibc too old
 * for the library, a jar built without it).
 */
final class NativeLibrary
{
    /** The only JavaCPP platform the library is built for. */
    static final String PLATFORM = "linux-x86_64";

    private NativeLibrary()
    {
    }

    /**
     * @return the highest level this CPU and OS run.
     * @throws IllegalStateException naming why the library cannot load here.
     */
    static Isa cpuIsa()
    {
        if (Holder.CPU == null)
        {
            throw new IllegalStateException(Holder.FAILURE, Holder.CAUSE);
        }
        return Holder.CPU;
    }

    /**
     * @return the {@link CpuFeatures} bits of this CPU and OS.
     * @throws IllegalStateException naming why the library cannot load here.
     */
    static int cpuFeatures()
    {
        cpuIsa();
        return Holder.FEATURES;
    }

    /** @return true when the library loaded. */
    static boolean available()
    {
        return Holder.CPU != null;
    }

    private static final class Holder
    {
        static final Isa CPU;
        static final int FEATURES;
        static final String FAILURE;
        static final Throwable CAUSE;

        static
        {
            Isa cpu = null;
            int features = 0;
            String failure = null;
            Throwable cause = null;
            try
            {
                failure = platformProblem(Loader.getPlatform());
                if (failure == null)
                {
                    Loader.load(NativeReduce.class);
                    features = NativeReduce.cpuFeatures();
                    cpu = Isa.ofLevel(NativeReduce.cpuLevel());
                }
            }
            catch (final UnsatisfiedLinkError ex)
            {
                // e.g. "... version `GLIBC_2.34' not found", or no library in the jar
                failure = "cannot load the native kernels library (" + PLATFORM + "): " + firstLine(ex.getMessage());
                cause = ex;
            }
            catch (final LinkageError | RuntimeException ex)
            {
                failure = "cannot load the native kernels library: " + ex.getClass().getSimpleName() + ": "
                    + firstLine(ex.getMessage());
                cause = ex;
            }
            CPU = cpu;
            FEATURES = features;
            FAILURE = failure;
            CAUSE = cause;
        }
    }

    /** @return why the library cannot run on {@code platform} (a JavaCPP platform name), or null. */
    static String platformProblem(final String platform)
    {
        return PLATFORM.equals(platform)
            ? null : "the native kernels are built for " + PLATFORM + " only, this JVM runs on " + platform;
    }

    static String firstLine(final String message)
    {
        if (message == null)
        {
            return "(no message)";
        }
        final int eol = message.indexOf('\n');
        return (eol < 0 ? message : message.substring(0, eol)).trim();
    }
}
