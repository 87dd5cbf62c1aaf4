package dev.jccl.kernel;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelsTest
{
    @Test
    void javaAlwaysGivesTheJavaKernels()
    {
        assertSame(JavaReduceKernels.INSTANCE, Kernels.java());
        assertSame(JavaReduceKernels.INSTANCE, Kernels.select("java"));
        assertSame(JavaReduceKernels.INSTANCE, Kernels.select("java", List.of(new Working())));
    }

    @Test
    void autoFallsBackToJavaWhenNoNativeProviderIsOnTheClassPath()
    {
        // this module's test class path has no ReduceKernelsProvider
        assertSame(JavaReduceKernels.INSTANCE, Kernels.select(null));
        assertSame(JavaReduceKernels.INSTANCE, Kernels.select("auto"));
        assertSame(Kernels.select(null), Kernels.select("auto"), "the auto choice is cached");
    }

    @Test
    void autoPrefersLoadableNativeKernels()
    {
        final Working working = new Working();
        assertSame(working.kernels, Kernels.select("auto", List.of(new Named("cuda"), working)));
    }

    @Test
    void autoFallsBackToJavaWhenNativeFailsAndLogsWhyOnce()
    {
        final List<LogRecord> records = new ArrayList<>();
        final Logger logger = Logger.getLogger(Kernels.class.getName());
        final Handler handler = new Handler()
        {
            @Override
            public void publish(final LogRecord record)
            {
                records.add(record);
            }

            @Override
            public void flush()
            {
            }

            @Override
            public void close()
            {
            }
        };
        logger.addHandler(handler);
        try
        {
            assertSame(JavaReduceKernels.INSTANCE, Kernels.select("auto", List.of(new Failing("CPU lacks AVX2"))));
        }
        finally
        {
            logger.removeHandler(handler);
        }
        assertEquals(1, records.size(), "one log line");
        assertEquals(Level.INFO, records.get(0).getLevel());
        assertTrue(records.get(0).getMessage().contains("CPU lacks AVX2"), records.get(0).getMessage());
    }

    @Test
    void nativeWithoutAProviderFailsNamingTheReason()
    {
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> Kernels.select("native"));
        assertTrue(ex.getMessage().startsWith("JCCL_KERNELS=native but the native kernels cannot load: "), ex.getMessage());
        assertTrue(ex.getMessage().contains("no ReduceKernelsProvider named \"native\""), ex.getMessage());
    }

    @Test
    void nativeThatCannotLoadFailsWithTheProvidersReason()
    {
        final IllegalStateException ex = assertThrows(
            IllegalStateException.class, () -> Kernels.select("native", List.of(new Failing("CPU lacks AVX2"))));
        assertEquals("JCCL_KERNELS=native but the native kernels cannot load: CPU lacks AVX2", ex.getMessage());
    }

    @Test
    void nativeWhoseLibraryIsMissingFailsClearlyInsteadOfThrowingAnError()
    {
        final ReduceKernelsProvider linkFailure = new Named("native")
        {
            @Override
            public ReduceKernels load()
            {
                throw new UnsatisfiedLinkError("no jniJcclKernels in java.library.path");
            }
        };
        final IllegalStateException ex = assertThrows(
            IllegalStateException.class, () -> Kernels.select("native", List.of(linkFailure)));
        assertTrue(ex.getMessage().endsWith("no jniJcclKernels in java.library.path"), ex.getMessage());
        assertTrue(ex.getCause() instanceof UnsatisfiedLinkError);
    }

    @Test
    void nativeThatLoadsIsReturned()
    {
        final Working working = new Working();
        assertSame(working.kernels, Kernels.select("native", List.of(new Failing("first one broken"), working)));
    }

    @Test
    void unknownPreferenceIsRejectedNamingTheVariableAndTheValidValues()
    {
        for (final String bad : new String[] { "fast", "", "JAVA", " native" })
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Kernels.select(bad));
            assertTrue(ex.getMessage().contains("JCCL_KERNELS"), ex.getMessage());
            assertTrue(ex.getMessage().contains("auto") && ex.getMessage().contains("java") &&
                ex.getMessage().contains("native"), ex.getMessage());
        }
    }

    private static class Named implements ReduceKernelsProvider
    {
        private final String name;

        Named(final String name)
        {
            this.name = name;
        }

        @Override
        public String name()
        {
            return name;
        }

        @Override
        public ReduceKernels load()
        {
            throw new AssertionError("only the provider named native may be loaded");
        }
    }

    private static final class Failing extends Named
    {
        private final String reason;

        Failing(final String reason)
        {
            super("native");
            this.reason = reason;
        }

        @Override
        public ReduceKernels load()
        {
            throw new IllegalStateException(reason);
        }
    }

    private static final class Working extends Named
    {
        final ReduceKernels kernels = new ReduceKernels()
        {
            @Override
            public String name()
            {
                return "native";
            }

            @Override
            public void reduce(final DataType type, final ReduceOp op, final long dst, final long src, final long count)
            {
            }

            @Override
            public void reduce(final DataType type, final ReduceOp op, final long dst, final long a, final long b, final long count)
            {
            }

            @Override
            public void divide(final DataType type, final long address, final long count, final int divisor)
            {
            }
        };

        Working()
        {
            super("native");
        }

        @Override
        public ReduceKernels load()
        {
            return kernels;
        }
    }
}
