package dev.jccl.bench.soak;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One reading of what a long-running rank could leak: resident memory (VmRSS from
 * /proc/self/status), heap in use right after a GC (so garbage does not look like growth), live
 * threads and open file descriptors (/proc/self/fd). Linux only, like the ranks it watches; the
 * /proc readings are -1 elsewhere.
 */
record ProcessSample(long rssKb, long heapUsedKb, int threads, int openFds)
{
    static ProcessSample take()
    {
        System.gc();
        final MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return new ProcessSample(readRssKb(), heap.getUsed() / 1024, ManagementFactory.getThreadMXBean().getThreadCount(), countOpenFds());
    }

    private static long readRssKb()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/self/status")))
            {
                if (line.startsWith("VmRSS:"))
                {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            // Not Linux: reported as -1 and not checked.
        }
        return -1;
    }

    private static int countOpenFds()
    {
        int count = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd")))
        {
            for (final Path ignored : fds)
            {
                count++;
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            return -1;
        }
        return count - 1; // the directory stream's own descriptor
    }

    String format()
    {
        return "rss_kb=" + rssKb + " heap_used_kb=" + heapUsedKb + " threads=" + threads + " fds=" + openFds;
    }
}
