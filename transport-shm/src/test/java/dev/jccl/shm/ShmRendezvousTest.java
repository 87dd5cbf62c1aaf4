package dev.jccl.shm;

import dev.jccl.CollectiveException;
import dev.jccl.kernel.Kernels;
import dev.jccl.wire.Handshake;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Joining through the file: identity checks, and nothing left in the directory afterwards. */
class ShmRendezvousTest
{
    @TempDir
    Path dir;

    private CompletableFuture<ShmPointToPoint> join(final MapStore store, final Handshake handshake, final int rank, final String host)
    {
        return CompletableFuture.supplyAsync(() -> ShmRendezvous.connect(
            store, handshake, rank, 2, host, 7, dir, ShmLayoutDescriptor.MIN_RING_CAPACITY, Duration.ofSeconds(10), Kernels.java()));
    }

    @Test
    void fileIsGoneOnceEveryRankJoinedAndAfterClose() throws Exception
    {
        final MapStore store = new MapStore();
        final Handshake handshake = new Handshake("token".getBytes(), "run-a");
        final var a = join(store, handshake, 0, "h");
        final var b = join(store, handshake, 1, "h");
        try (ShmPointToPoint p0 = a.get(20, TimeUnit.SECONDS); ShmPointToPoint p1 = b.get(20, TimeUnit.SECONDS))
        {
            assertEquals(2, p0.size());
            assertEquals("h", p1.peerHost(0));
            try (var files = Files.list(dir))
            {
                assertEquals(0, files.count(), "the name is removed once both ranks mapped the file");
            }
        }
        try (var files = Files.list(dir))
        {
            assertEquals(0, files.count());
        }
    }

    @Test
    void rankWithWrongTokenIsNotTrusted() throws Exception
    {
        final MapStore store = new MapStore();
        final var a = join(store, new Handshake("right".getBytes(), "run-b"), 0, "h");
        final var b = join(store, new Handshake("wrong".getBytes(), "run-b"), 1, "h");
        final Throwable thrown = failureOf(a);
        failureOf(b);
        assertInstanceOf(CollectiveException.class, thrown);
        assertTrue(thrown.getMessage().contains("rank 1 did not prove the job token"), thrown.getMessage());
        try (var files = Files.list(dir))
        {
            assertEquals(0, files.count(), "a refused join leaves no file behind");
        }
    }

    @Test
    void ranksOnDifferentHostsAreRefused() throws Exception
    {
        final MapStore store = new MapStore();
        final Handshake handshake = new Handshake("t".getBytes(), "run-c");
        final var a = join(store, handshake, 0, "host-a");
        final var b = join(store, handshake, 1, "host-b");
        final Throwable thrown = failureOf(b);
        failureOf(a);
        assertTrue(thrown.getMessage().contains("needs every rank on one host, but rank 0 is on host-a and rank 1 on host-b"), thrown.getMessage());
    }

    private static Throwable failureOf(final CompletableFuture<ShmPointToPoint> join) throws Exception
    {
        try
        {
            join.get(30, TimeUnit.SECONDS).close();
            throw new AssertionError("join succeeded");
        }
        catch (final java.util.concurrent.ExecutionException ex)
        {
            return ex.getCause();
        }
    }

    @Test
    void fileNameCarriesRunIdAndCommunicator()
    {
        final Path path = ShmFile.pathFor(dir, "job-42", 5);
        assertTrue(path.getFileName().toString().startsWith("jccl-job-42-"));
        assertTrue(path.getFileName().toString().endsWith("-c5"));
        assertFalse(ShmFile.pathFor(dir, "job-42", 5).equals(ShmFile.pathFor(dir, "job-43", 5)));
    }
}
