package dev.jccl.nccl;

import dev.jccl.JcclConfig;
import dev.jccl.tcp.TcpTransportProvider;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.nccl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The availability probe on a machine without the NVIDIA driver: clear reasons, no linkage error. */
class NcclProbeTest
{
    private static boolean noDriverHere()
    {
        return LibrarySearch.system().locate(NcclProbe.DRIVER_LIBRARY) == null;
    }

    @Test
    void probeWithNoLibraryAnywhereReportsTheMissingDriver(@TempDir final Path dir) throws Exception
    {
        final Path emptyCache = Files.write(dir.resolve("ld.so.cache"), new byte[64]);
        final LibrarySearch nowhere = new LibrarySearch(Map.of(), "", emptyCache, List.of(dir));
        final NcclProbe.Result result = NcclProbe.probe(nowhere, true);
        assertEquals(NcclProbe.NO_DRIVER, result.reason());
        assertEquals("no CUDA driver (libcuda.so.1 not found: install the NVIDIA driver)", result.reason());
        assertTrue(!result.available());
    }

    @Test
    void providerReportsTheNoDriverReasonHereWithoutThrowing()
    {
        assumeTrue(noDriverHere(), "this machine has libcuda.so.1; the no-driver path cannot be checked here");
        final NcclTransportProvider provider = new NcclTransportProvider();
        final String reason = provider.unavailableReason(JcclConfig.singleRank());
        assertEquals(NcclProbe.NO_DRIVER, reason);
        assertSame(NcclProbe.result(), NcclProbe.result(), "the probe is cached");
        assertEquals(reason, provider.unavailableReason(JcclConfig.singleRank()));
    }

    @Test
    void guardedLoadOfTheBindingsNamesTheMissingDriverInsteadOfThrowing()
    {
        assumeTrue(noDriverHere(), "this machine has libcuda.so.1; the no-driver path cannot be checked here");
        // JavaCPP's loader really runs here and fails inside dlopen; the error must not escape.
        assertEquals(NcclProbe.NO_DRIVER, NcclProbe.loadGuarded(cudart.class));
        assertEquals(NcclProbe.NO_DRIVER, NcclProbe.loadGuarded(nccl.class));
        // The full probe, skipping the on-disk search, ends at the same answer.
        assertEquals(NcclProbe.NO_DRIVER, NcclProbe.probe(LibrarySearch.system(), false).reason());
    }

    @Test
    void loadFailuresAreClassifiedByTheLibraryTheyName()
    {
        assertEquals(NcclProbe.NO_DRIVER,
            NcclProbe.classify(new UnsatisfiedLinkError("/x/libjnicudart.so: libcuda.so.1: cannot open shared object file: No such file or directory")));
        assertEquals(NcclProbe.NO_RUNTIME,
            NcclProbe.classify(new UnsatisfiedLinkError("/x/libjnicudart.so: libcudart.so.13: cannot open shared object file")));
        assertEquals(NcclProbe.NO_NCCL,
            NcclProbe.classify(new UnsatisfiedLinkError("/x/libjninccl.so: libnccl.so.2: cannot open shared object file")));
        assertEquals(NcclProbe.NO_NCCL,
            NcclProbe.classify(new RuntimeException("wrapped", new UnsatisfiedLinkError("libnccl.so.2: cannot open"))));
        final String other = NcclProbe.classify(new UnsatisfiedLinkError("undefined symbol: cuFoo\nmore"));
        assertTrue(other.contains("UnsatisfiedLinkError: undefined symbol: cuFoo") && !other.contains("\n"), other);
        if (noDriverHere())
        {
            // A second load attempt only says the class failed before: the disk tells what is missing.
            assertEquals(NcclProbe.NO_DRIVER, NcclProbe.classify(new NoClassDefFoundError("Could not initialize class org.bytedeco.cuda.global.cudart")));
        }
        assertTrue(NcclProbe.NO_NCCL.contains("libnccl.so.2") && NcclProbe.NO_NCCL.contains("libnccl2") &&
            NcclProbe.NO_NCCL.contains("LD_LIBRARY_PATH"), NcclProbe.NO_NCCL);
    }

    @Test
    void ncclRanksAboveTcp()
    {
        final NcclTransportProvider provider = new NcclTransportProvider();
        assertEquals("nccl", provider.name());
        assertTrue(provider.priority() > new TcpTransportProvider().priority());
    }

    @Test
    void librarySearchFindsLibrariesOnLdLibraryPathAndInTheCache(@TempDir final Path dir) throws Exception
    {
        final Path lib = Files.createDirectories(dir.resolve("nccl-wheel/lib"));
        Files.write(lib.resolve("libnccl.so.2"), new byte[0]);
        final Path cache = Files.write(dir.resolve("ld.so.cache"),
            "xx\0libcuda.so.1\0/usr/lib/x86_64-linux-gnu/libcuda.so.1\0libfoo.so.10\0".getBytes(StandardCharsets.US_ASCII));
        final LibrarySearch search = new LibrarySearch(Map.of("LD_LIBRARY_PATH", "/nonexistent:" + lib), "", cache, List.of());
        assertEquals(lib.resolve("libnccl.so.2").toString(), search.locate("libnccl.so.2"));
        assertEquals("ld.so.cache", search.locate("libcuda.so.1"));
        assertNull(search.locate("libfoo.so.1"), "a prefix of another name is not a match");
        assertNull(search.locate("libcudart.so.13"));
        final LibrarySearch unreadable = new LibrarySearch(Map.of(), "", dir.resolve("missing-cache"), List.of());
        assertNotNull(unreadable.locate("libcuda.so.1"), "an unreadable cache must not rule a library out");
    }

    @Test
    void probeResultDescribesItself()
    {
        assertTrue(new NcclProbe.Result(null, 2, 13010, 13010, 22903).toString().contains("NCCL 2.29.3"));
        assertEquals("13.1", NcclProbe.cudaVersion(13010));
    }
}
