package dev.jccl.nccl;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a user sees on a machine without the NVIDIA driver, each in a fresh JVM (so no earlier
 * load attempt in the test JVM can hide a linkage error): {@code JCCL_TRANSPORT=nccl} fails with
 * one clear {@code TransportUnavailableException}; {@code auto} falls back to TCP.
 */
class FreshJvmNoGpuTest
{
    @BeforeAll
    static void onlyWithoutDriver()
    {
        assumeTrue(LibrarySearch.system().locate(NcclProbe.DRIVER_LIBRARY) == null,
            "this machine has libcuda.so.1; the no-driver path cannot be checked here");
    }

    private static String run(final List<String> jvmArgs, final Map<String, String> env, final boolean expectSuccess) throws Exception
    {
        final NcclTestSupport.Child child = NcclTestSupport.start(NcclTestSupport.javaCommand(jvmArgs, InitMain.class.getName()), env);
        try
        {
            final int code = child.await(120);
            final String output = child.output();
            if (expectSuccess)
            {
                assertEquals(0, code, output);
            }
            else
            {
                assertNotEquals(0, code, output);
            }
            return output;
        }
        finally
        {
            child.destroy();
        }
    }

    private static void assertNoLinkageError(final String output)
    {
        assertFalse(output.contains("UnsatisfiedLinkError"), "a linkage error reached the user:\n" + output);
        assertFalse(output.contains("NoClassDefFoundError"), output);
        assertFalse(output.contains("ExceptionInInitializerError"), output);
        assertFalse(output.contains("Caused by"), "the reason should be one line, not a cause chain:\n" + output);
    }

    @Test
    void ncclRequestedWithoutDriverFailsWithOneClearLine() throws Exception
    {
        final String output = run(List.of(), Map.of("JCCL_TRANSPORT", "nccl"), false);
        assertTrue(output.contains("dev.jccl.TransportUnavailableException: JCCL_TRANSPORT=nccl cannot run here: " +
            "no CUDA driver (libcuda.so.1 not found: install the NVIDIA driver)"), output);
        assertNoLinkageError(output);
    }

    @Test
    void ncclRequestedWithoutDriverFailsCleanlyAlsoThroughJavaCppsLoader() throws Exception
    {
        // Skip the on-disk search: JavaCPP really tries to load the bindings and dlopen fails.
        final String output = run(List.of("-D" + NcclProbe.LIBRARY_SEARCH_PROPERTY + "=false"), Map.of("JCCL_TRANSPORT", "nccl"), false);
        assertTrue(output.contains("TransportUnavailableException: JCCL_TRANSPORT=nccl cannot run here: " + NcclProbe.NO_DRIVER), output);
        assertNoLinkageError(output);
    }

    @Test
    void autoFallsBackToTcpAndSaysWhyOnce() throws Exception
    {
        final String output = run(List.of(), Map.of("JCCL_TRANSPORT", "auto"), true);
        assertTrue(output.contains("transport=tcp rank=0 size=1 result=1.5,2.5,0.0"), output);
        assertTrue(output.contains("JCCL_TRANSPORT=auto chose tcp; skipped nccl: " + NcclProbe.NO_DRIVER), output);
        assertNoLinkageError(output);
    }
}
