package dev.jccl.shm;

import dev.jccl.CollectiveException;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import static dev.jccl.shm.ShmLayoutDescriptor.*;

/**
 * One communicator's memory-mapped file in {@code /dev/shm}: created owner-only (0600) and filled
 * through the file channel (so a full tmpfs is an IOException here, not a SIGBUS later), mapped
 * once, and pre-touched so the data path never takes a page fault.
 *
 * <p>A file left behind by a dead job (its creator's process is gone) is reclaimed: deleted and
 * created afresh. A file whose creator is alive belongs to someone else and is never touched.
 */
final class ShmFile implements AutoCloseable
{
    private static final System.Logger LOG = System.getLogger(ShmFile.class.getName());

    private final Path path;
    private final MappedByteBuffer mapping;
    private final UnsafeBuffer buffer;
    private volatile boolean unmapped;

    private ShmFile(final Path path, final MappedByteBuffer mapping)
    {
        this.path = path;
        this.mapping = mapping;
        this.buffer = new UnsafeBuffer(mapping);
    }

    /** The file name for a run and communicator: readable prefix plus a hash of the full run id. */
    static Path pathFor(final Path directory, final String runId, final long communicatorId)
    {
        final String readable = runId.replaceAll("[^A-Za-z0-9_.-]", "_");
        final String prefix = readable.length() > 40 ? readable.substring(0, 40) : readable;
        return directory.resolve("jccl-" + prefix + "-" + Integer.toHexString(runId.hashCode()) + "-c" + communicatorId);
    }

    /**
     * Creates the file exclusively, reclaiming a stale one. Leaves the header in state CREATING
     * with magic, sizes, run id, creator pid and nonce written; the caller publishes READY.
     */
    static ShmFile create(
        final Path path, final String runId, final long communicatorId, final int worldSize, final int capacity, final byte[] nonce)
    {
        final long length = fileLength(worldSize, capacity);
        if (length > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("shared-memory file for " + worldSize + " ranks with " + capacity +
                "-byte rings would be " + length + " bytes, over the 2 GiB mapping limit; lower jccl.shm.ringBytes");
        }
        reclaimIfStale(path);
        try (FileChannel channel = FileChannel.open(path,
            java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))))
        {
            fill(channel, length);
            final ShmFile file = new ShmFile(path, channel.map(FileChannel.MapMode.READ_WRITE, 0, length));
            file.writeHeader(runId, communicatorId, worldSize, capacity, nonce);
            return file;
        }
        catch (final FileAlreadyExistsException ex)
        {
            throw new CollectiveException("shared-memory file " + path + " appeared while creating it: another job with run id '" +
                runId + "' is starting on this host", ex);
        }
        catch (final IOException ex)
        {
            deleteQuietly(path);
            throw new CollectiveException("cannot create shared-memory file " + path + " (" + length + " bytes): " + ex.getMessage() +
                " (is /dev/shm full or too small? lower jccl.shm.ringBytes or use JCCL_TRANSPORT=tcp)", ex);
        }
    }

    /** Maps a file another rank created; the caller verifies its header. */
    static ShmFile open(final Path path)
    {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final long length = channel.size();
            if (length < PAGE || length > Integer.MAX_VALUE)
            {
                throw new CollectiveException("shared-memory file " + path + " has an impossible length " + length);
            }
            final ShmFile file = new ShmFile(path, channel.map(FileChannel.MapMode.READ_WRITE, 0, length));
            file.preTouch();
            return file;
        }
        catch (final IOException ex)
        {
            throw new CollectiveException("cannot map shared-memory file " + path + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Deletes {@code path} when it is a leftover: unreadable as a JCCL file, or created by a process
     * that no longer runs. A file whose creator is alive is left alone and reported.
     */
    static void reclaimIfStale(final Path path)
    {
        if (!Files.exists(path))
        {
            return;
        }
        final long creator = creatorPid(path);
        if (creator > 0 && creator != ProcessHandle.current().pid() &&
            ProcessHandle.of(creator).map(ProcessHandle::isAlive).orElse(false))
        {
            throw new CollectiveException("shared-memory file " + path + " belongs to a live process " + creator +
                " (another job with the same run id on this host?); not touching it");
        }
        LOG.log(System.Logger.Level.INFO, "reclaiming stale shared-memory file {0} (creator pid {1} is gone)", path, creator);
        deleteQuietly(path);
    }

    /** The creator pid recorded in the file's header, or -1 when it is not a readable JCCL file. */
    static long creatorPid(final Path path)
    {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ))
        {
            final ByteBuffer header = ByteBuffer.allocate(RUN_ID_OFFSET).order(java.nio.ByteOrder.nativeOrder());
            while (header.hasRemaining() && channel.read(header) > 0)
            {
                // Read the fixed header only.
            }
            if (header.position() < RUN_ID_OFFSET || header.getInt(MAGIC_OFFSET) != MAGIC)
            {
                return -1;
            }
            return header.getLong(CREATOR_PID_OFFSET);
        }
        catch (final NoSuchFileException ex)
        {
            return -1;
        }
        catch (final IOException ex)
        {
            throw new CollectiveException("cannot read shared-memory file " + path + ": " + ex.getMessage(), ex);
        }
    }

    private static void fill(final FileChannel channel, final long length) throws IOException
    {
        final ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
        long position = 0;
        while (position < length)
        {
            zeros.clear().limit((int)Math.min(zeros.capacity(), length - position));
            position += channel.write(zeros, position);
        }
        channel.force(false);
    }

    private void writeHeader(final String runId, final long communicatorId, final int worldSize, final int capacity, final byte[] nonce)
    {
        final byte[] runIdBytes = runId.getBytes(StandardCharsets.UTF_8);
        if (runIdBytes.length > MAX_RUN_ID_LENGTH)
        {
            throw new IllegalArgumentException("run id longer than " + MAX_RUN_ID_LENGTH + " bytes: " + runId);
        }
        preTouch();
        buffer.putInt(MAGIC_OFFSET, MAGIC);
        buffer.putInt(VERSION_OFFSET, VERSION);
        buffer.putInt(WORLD_SIZE_OFFSET, worldSize);
        buffer.putLong(CREATOR_PID_OFFSET, ProcessHandle.current().pid());
        buffer.putLong(RING_CAPACITY_OFFSET, capacity);
        buffer.putLong(COMMUNICATOR_ID_OFFSET, communicatorId);
        buffer.putInt(RUN_ID_LENGTH_OFFSET, runIdBytes.length);
        buffer.putBytes(FILE_NONCE_OFFSET, nonce);
        buffer.putBytes(RUN_ID_OFFSET, runIdBytes);
        buffer.putIntVolatile(FILE_STATE_OFFSET, FILE_CREATING);
    }

    /** Reads one byte per page so every page is in this process's page tables before the data path runs. */
    private void preTouch()
    {
        long sum = 0;
        for (int offset = 0; offset < buffer.capacity(); offset += PAGE)
        {
            sum += buffer.getByte(offset);
        }
        if (sum == Long.MIN_VALUE)
        {
            LOG.log(System.Logger.Level.TRACE, "unreachable: keeps the touch loop from being optimised away");
        }
    }

    Path path()
    {
        return path;
    }

    UnsafeBuffer buffer()
    {
        return buffer;
    }

    /** Removes the name; the mapping stays valid for every rank that already has it. */
    void unlink()
    {
        deleteQuietly(path);
    }

    static Optional<String> validate(final UnsafeBuffer buffer, final String runId, final long communicatorId, final int worldSize)
    {
        if (buffer.getInt(MAGIC_OFFSET) != MAGIC)
        {
            return Optional.of("bad magic 0x" + Integer.toHexString(buffer.getInt(MAGIC_OFFSET)));
        }
        if (buffer.getInt(VERSION_OFFSET) != VERSION)
        {
            return Optional.of("layout version " + buffer.getInt(VERSION_OFFSET) + ", this rank speaks " + VERSION);
        }
        final int runIdLength = buffer.getInt(RUN_ID_LENGTH_OFFSET);
        final String fileRunId = runIdLength >= 0 && runIdLength <= MAX_RUN_ID_LENGTH ?
            buffer.getStringWithoutLengthUtf8(RUN_ID_OFFSET, runIdLength) : "?";
        if (!fileRunId.equals(runId))
        {
            return Optional.of("run id '" + fileRunId + "', this rank's is '" + runId + "'");
        }
        if (buffer.getLong(COMMUNICATOR_ID_OFFSET) != communicatorId)
        {
            return Optional.of("communicator " + buffer.getLong(COMMUNICATOR_ID_OFFSET) + ", expected " + communicatorId);
        }
        if (buffer.getInt(WORLD_SIZE_OFFSET) != worldSize)
        {
            return Optional.of("world size " + buffer.getInt(WORLD_SIZE_OFFSET) + ", this rank's is " + worldSize);
        }
        final long capacity = buffer.getLong(RING_CAPACITY_OFFSET);
        if (capacity < MIN_RING_CAPACITY || capacity > MAX_RING_CAPACITY || Long.bitCount(capacity) != 1 ||
            fileLength(worldSize, (int)capacity) != buffer.capacity())
        {
            return Optional.of("ring capacity " + capacity + " does not fit a " + buffer.capacity() + "-byte file");
        }
        return Optional.empty();
    }

    static void deleteQuietly(final Path path)
    {
        try
        {
            Files.deleteIfExists(path);
        }
        catch (final IOException ex)
        {
            LOG.log(System.Logger.Level.WARNING, "cannot delete shared-memory file {0}: {1}", path, ex.getMessage());
        }
    }

    /** Unmaps; the caller guarantees no thread touches the buffer afterwards. */
    @Override
    public void close()
    {
        if (!unmapped)
        {
            unmapped = true;
            IoUtil.unmap(mapping);
        }
    }
}
