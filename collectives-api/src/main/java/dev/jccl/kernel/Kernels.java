package dev.jccl.kernel;

import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Chooses the reduce kernels, as {@code JCCL_KERNELS} asks.
 *
 * <ul>
 *   <li>{@code null} or {@code "auto"}: the {@link ReduceKernelsProvider} named {@code "native"} when
 *       one is on the class path and loads, otherwise {@link JavaReduceKernels}, saying why in one
 *       log line. Decided once per JVM and cached.</li>
 *   <li>{@code "java"}: always {@link JavaReduceKernels}.</li>
 *   <li>{@code "native"}: the native kernels, or an {@link IllegalStateException} naming why they
 *       cannot load.</li>
 * </ul>
 */
public final class Kernels
{
    /** Value of {@code JCCL_KERNELS} for the automatic choice. */
    public static final String AUTO = "auto";
    /** Value of {@code JCCL_KERNELS} and provider name for the JNI kernels. */
    public static final String NATIVE = "native";

    private static final System.Logger LOG = System.getLogger(Kernels.class.getName());

    private Kernels()
    {
    }

    /** @return the pure-Java kernels. */
    public static ReduceKernels java()
    {
        return JavaReduceKernels.INSTANCE;
    }

    /**
     * @param preference {@code null}, {@code "auto"}, {@code "java"} or {@code "native"}.
     * @return the kernels to use.
     * @throws IllegalStateException for {@code "native"} when the native kernels cannot load.
     * @throws IllegalArgumentException for any other value.
     */
    public static ReduceKernels select(final String preference)
    {
        if (preference == null || AUTO.equals(preference))
        {
            return AutoChoice.KERNELS;
        }
        return select(preference, ServiceLoader.load(ReduceKernelsProvider.class, Kernels.class.getClassLoader()));
    }

    /** {@link #select(String)} against the given providers, without the cache (for tests). */
    static ReduceKernels select(final String preference, final Iterable<ReduceKernelsProvider> providers)
    {
        if (preference == null || AUTO.equals(preference))
        {
            return auto(providers);
        }
        if (JavaReduceKernels.NAME.equals(preference))
        {
            return JavaReduceKernels.INSTANCE;
        }
        if (NATIVE.equals(preference))
        {
            final Attempt attempt = loadNative(providers);
            if (attempt.kernels == null)
            {
                throw new IllegalStateException(
                    "JCCL_KERNELS=native but the native kernels cannot load: " + attempt.reason, attempt.cause);
            }
            return attempt.kernels;
        }
        throw new IllegalArgumentException("JCCL_KERNELS must be auto, java or native, got '" + preference + "'");
    }

    static ReduceKernels auto(final Iterable<ReduceKernelsProvider> providers)
    {
        final Attempt attempt = loadNative(providers);
        if (attempt.kernels != null)
        {
            LOG.log(System.Logger.Level.DEBUG, "JCCL reduce kernels: " + attempt.kernels.name());
            return attempt.kernels;
        }
        LOG.log(System.Logger.Level.INFO, "JCCL reduce kernels: java (native kernels not used: " + attempt.reason + ")");
        return JavaReduceKernels.INSTANCE;
    }

    private static Attempt loadNative(final Iterable<ReduceKernelsProvider> providers)
    {
        Attempt failed = null;
        try
        {
            for (final ReduceKernelsProvider provider : providers)
            {
                try
                {
                    if (!NATIVE.equals(provider.name()))
                    {
                        continue;
                    }
                    final ReduceKernels kernels = provider.load();
                    if (kernels != null)
                    {
                        return new Attempt(kernels, null, null);
                    }
                    failed = new Attempt(null, provider.getClass().getName() + ".load() returned null", null);
                }
                catch (final RuntimeException | LinkageError ex)
                {
                    failed = new Attempt(null, describe(ex), ex);
                }
            }
        }
        catch (final ServiceConfigurationError ex)
        {
            return new Attempt(null, "a ReduceKernelsProvider is misconfigured: " + describe(ex), ex);
        }
        return failed != null ? failed : new Attempt(
            null, "no ReduceKernelsProvider named \"native\" on the class path (add the jccl native module)", null);
    }

    private static String describe(final Throwable ex)
    {
        final String message = ex.getMessage();
        return message == null || message.isEmpty() ? ex.getClass().getName() : message;
    }

    private static final class Attempt
    {
        final ReduceKernels kernels;
        final String reason;
        final Throwable cause;

        Attempt(final ReduceKernels kernels, final String reason, final Throwable cause)
        {
            this.kernels = kernels;
            this.reason = reason;
            this.cause = cause;
        }
    }

    /** Lazily made, once per JVM. */
    private static final class AutoChoice
    {
        static final ReduceKernels KERNELS =
            auto(ServiceLoader.load(ReduceKernelsProvider.class, Kernels.class.getClassLoader()));
    }
}
