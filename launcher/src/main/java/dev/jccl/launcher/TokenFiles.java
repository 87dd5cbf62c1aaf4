package dev.jccl.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * The job token: 256 random bits, handed to agents on stdin and to ranks through a 0600 file
 * named by {@code JCCL_TOKEN_FILE}; never on a command line.
 *
 * <p>Stand-in until {@code dev.jccl.env.JobToken} lands on main; then {@link #generate()} and
 * {@link #write} delegate to it so both sides agree on the file format (hex text here).
 */
public final class TokenFiles
{
    public static final int TOKEN_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private TokenFiles()
    {
    }

    public static byte[] generate()
    {
        final byte[] token = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(token);
        return token;
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

    /** Writes {@code token} to {@code dir/token}, 0600, atomically (a reader never sees a partial file). */
    public static Path write(final Path dir, final byte[] token)
    {
        try
        {
            final Path tmp = Files.createTempFile(dir, "token", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, HexFormat.of().formatHex(token));
            return Files.move(tmp, dir.resolve("token"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot write the job token file in " + dir, e);
        }
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
