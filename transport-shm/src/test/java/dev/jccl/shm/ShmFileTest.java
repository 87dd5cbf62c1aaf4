package dev.jccl.shm;

import dev.jccl.CollectiveException;
import dev.jccl.wire.Handshake;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static dev.jccl.shm.ShmLayoutDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The file's life: owner-only permissions, removal, and reclaiming what a dead job left. */
class ShmFileTest
{
    @TempDir
    Path dir;

    @Test
    void fileIsCreatedOwnerOnlyAndRemovedByUnlink()
    {
        final Path path = ShmFile.pathFor(dir, "run/with odd:chars", 3);
        assertTrue(path.getFileName().toString().matches("jccl-run_with_odd_chars-[0-9a-f]+-c3"), path.toString());
        try (ShmFile file = ShmFile.create(path, "run/with odd:chars", 3, 2, MIN_RING_CAPACITY, Handshake.newNonce()))
        {
            assertEquals("rw-------", PosixFilePermissions.toString(permissions(path)));
            assertEquals(fileLength(2, MIN_RING_CAPACITY), file.buffer().capacity());
            assertTrue(ShmFile.validate(file.buffer(), "run/with odd:chars", 3, 2).isEmpty());
            assertTrue(ShmFile.validate(file.buffer(), "other-run", 3, 2).orElseThrow().contains("run id 'run/with odd:chars'"));
            file.unlink();
            assertFalse(Files.exists(path));
        }
    }

    @Test
    void staleFileOfDeadCreatorIsReclaimed() throws Exception
    {
        final Path path = ShmFile.pathFor(dir, "stale", 0);
        Files.write(path, header(deadPid()));
        try (ShmFile file = ShmFile.create(path, "stale", 0, 2, MIN_RING_CAPACITY, Handshake.newNonce()))
        {
            assertEquals(ProcessHandle.current().pid(), ShmFile.creatorPid(path));
            assertEquals("rw-------", PosixFilePermissions.toString(permissions(path)));
            file.unlink();
        }
    }

    @Test
    void garbageFileIsReclaimed() throws Exception
    {
        final Path path = ShmFile.pathFor(dir, "garbage", 0);
        Files.write(path, new byte[] { 1, 2, 3 });
        try (ShmFile file = ShmFile.create(path, "garbage", 0, 2, MIN_RING_CAPACITY, Handshake.newNonce()))
        {
            assertEquals(MAGIC, file.buffer().getInt(MAGIC_OFFSET));
            file.unlink();
        }
    }

    @Test
    void fileOfLiveCreatorIsLeftAlone() throws Exception
    {
        final Process other = new ProcessBuilder("sleep", "30").start();
        try
        {
            final Path path = ShmFile.pathFor(dir, "live", 0);
            Files.write(path, header(other.pid()));
            final CollectiveException ex = assertThrows(CollectiveException.class,
                () -> ShmFile.create(path, "live", 0, 2, MIN_RING_CAPACITY, Handshake.newNonce()));
            assertTrue(ex.getMessage().contains("belongs to a live process " + other.pid()), ex.getMessage());
            assertEquals(other.pid(), ShmFile.creatorPid(path));
        }
        finally
        {
            other.destroyForcibly();
        }
    }

    private static byte[] header(final long pid)
    {
        final ByteBuffer header = ByteBuffer.allocate(PAGE).order(ByteOrder.nativeOrder());
        header.putInt(MAGIC_OFFSET, MAGIC).putInt(VERSION_OFFSET, VERSION).putLong(CREATOR_PID_OFFSET, pid);
        return header.array();
    }

    /** A pid that certainly ran and is gone: a short process that has exited. */
    private static long deadPid() throws Exception
    {
        final Process process = new ProcessBuilder("true").start();
        process.waitFor();
        return process.pid();
    }

    private static java.util.Set<java.nio.file.attribute.PosixFilePermission> permissions(final Path path)
    {
        try
        {
            return Files.getPosixFilePermissions(path);
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}
