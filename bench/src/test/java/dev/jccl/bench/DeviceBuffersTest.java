package dev.jccl.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The device path of the driver (what {@code --transport nccl} runs), against {@link FakeDevice}
 * memory: inputs reach the collective only through the copy to the device, outputs reach the check
 * only through the copy back, and every allocation is freed.
 */
class DeviceBuffersTest
{
    private static final String[] COLLECTIVES = { "all_reduce", "all_gather", "broadcast", "reduce_scatter", "reduce", "barrier" };

    private static String[] args(final String coll, final int ranks, final String... more)
    {
        final List<String> a = new ArrayList<>(List.of(coll, "-t", Integer.toString(ranks), "-b", "0", "-e", "1K", "-f", "8",
            "-n", "2", "-w", "1", "--warmup-ms", "0"));
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    private static FakeFactory device()
    {
        final FakeFactory f = new FakeFactory();
        f.onDevice = true;
        return f;
    }

    @Test
    void everyCollectiveTypeAndOpChecksOutRightOnDeviceMemory()
    {
        for (final int ranks : new int[] { 1, 3 })
        {
            for (final String coll : COLLECTIVES)
            {
                final FakeFactory f = device();
                final PerfDriverTest.Run r = PerfDriverTest.run(f, args(coll, ranks, "-d", "all", "-o", "all", "-r", "all", "-c", "2"));
                assertEquals(0, r.code(), coll + " with " + ranks + " ranks:\n" + r.stdout() + r.stderr());
                assertEquals("0 OK", r.out().outOfBounds);
                assertEquals(ranks, f.devices.size());
                for (final FakeDevice d : f.devices)
                {
                    assertEquals(2, d.allocations.get(), "send and receive buffers");
                    assertEquals(2, d.frees.get(), "both freed at the end");
                    if (!coll.equals("barrier"))
                    {
                        assertTrue(d.uploads.get() > 0 && d.downloads.get() > 0, coll);
                    }
                }
            }
        }
    }

    @Test
    void headerNamesEachRanksGpuAndTheMemory()
    {
        final PerfDriverTest.Run r = PerfDriverTest.run(device(), args("all_reduce", 2));
        assertEquals(0, r.code(), r.stdout() + r.stderr());
        final List<String> lines = r.out().headerLines;
        assertTrue(lines.contains(TableFormat.rankLine(0, ProcessHandle.current().pid(), PerfDriver.host(), 0, "cuda:0", "Fake GPU", "fake")),
            String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("#  Rank  1 ") && l.endsWith("device  1 [cuda:1] Fake GPU JCCL-fake")),
            String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.contains("memory cuda")), String.join("\n", lines));
    }

    @Test
    void hostMemoryLinesAreUnchanged()
    {
        final PerfDriverTest.Run r = PerfDriverTest.run(new FakeFactory(), args("all_reduce", 2));
        assertEquals(0, r.code());
        assertEquals(2, r.out().headerLines.stream().filter(l -> l.startsWith("#  Rank ") && l.endsWith("[cpu] JCCL-fake")).count(),
            r.stdout());
        assertTrue(r.out().headerLines.stream().anyMatch(l -> l.contains("memory direct")), r.stdout());
    }

    @Test
    void inputsThatNeverReachTheDeviceAreCaught()
    {
        final FakeFactory f = device();
        f.dropUploads = true;
        final PerfDriverTest.Run r = PerfDriverTest.run(f, args("all_reduce", 2, "-b", "64", "-e", "64"));
        assertEquals(JcclPerf.EXIT_WRONG, r.code(), r.stdout() + r.stderr());
        assertTrue(r.out().outOfBounds.endsWith("FAILED"), r.stdout());
    }

    @Test
    void resultsThatNeverComeBackAreCaught()
    {
        for (final String coll : COLLECTIVES)
        {
            if (coll.equals("barrier"))
            {
                continue;
            }
            final FakeFactory f = device();
            f.dropDownloads = true;
            final PerfDriverTest.Run r = PerfDriverTest.run(f, args(coll, 2, "-b", "64", "-e", "64"));
            assertEquals(JcclPerf.EXIT_WRONG, r.code(), coll + "\n" + r.stdout() + r.stderr());
        }
    }

    @Test
    void anUnavailableTransportFailsBeforeAnyCommunicatorInOneLine()
    {
        final FakeFactory f = new FakeFactory();
        f.unavailable = "no CUDA driver (libcuda.so.1 not found: install the NVIDIA driver)";
        final PerfDriverTest.Run r = PerfDriverTest.run(f, args("all_reduce", 2, "--transport", "tcp,nccl"));
        assertEquals(JcclPerf.EXIT_FAILURE, r.code());
        assertEquals("jccl-perf: --transport tcp cannot run here: " + f.unavailable, r.stderr().strip());
        assertEquals(0, f.clusters, "no communicator made");
        assertEquals("", r.stdout());
    }
}
