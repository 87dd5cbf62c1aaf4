package dev.jccl.launcher;

import dev.jccl.env.JobToken;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * The job token: 256 random bits, handed to agents on stdin and to ranks through a 0600 file
 * named by {@code JCCL_TOKEN_FILE}; never on a command line.
 *
 * <p>Generation and the file format are {@link JobToken}'s, so ranks read what the launcher wrote;
 * this class adds the per-run 0700 directory and its cleanup.
 */
public final class TokenFiles
{
    public static final int TOKEN_BYTES = JobToken.TOKEN_BYTES;
    private static final SecureRandom RANDOM = new SecureRandom();

    private TokenFiles()
    {
    }

    public static byte[] generate()
    {
        return JobToken.generate();
    }

    public static String runId()
    {
        final byte[] id = new byte[8];
        RANDOM.nextBytes(id);
        return "jccl-" + HexFormat.of().formatHex(id);
    }

    /** A fresh 0700 directory for this run's files on this host. */
    public static Path createRunDirectory(final String runId)
    {
        try
        {
            return Files.createTempDirectory(runId + "-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot create a directory for the job token", e);
        }
    }

    /** Writes {@code token} to the run directory, 0600, atomically ({@link JobToken#writeTokenFile}). */
    public static Path write(final Path dir, final byte[] token)
    {
        return JobToken.writeTokenFile(dir, token);
    }

    /** Deletes the run directory and what is in it; quiet on failure. */
    public static void deleteRunDirectory(final Path dir)
    {
        if (dir == null)
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        catch (final IOException | UncheckedIOException ignored)
        {
            // best effort
        }
    }
}
