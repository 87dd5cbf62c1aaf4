package dev.jccl.env;

import dev.jccl.JcclConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The job token: a shared secret under which ranks answer each other's handshake challenge (HMAC-SHA256).
 *
 * <p>A token file holds either 64 hexadecimal characters (32 bytes; surrounding ASCII whitespace is ignored) or,
 * for any other content, its raw bytes, which must be at least {@value #MIN_RAW_BYTES} long and are used
 * exactly as stored. {@link #writeTokenFile(Path, byte[])} writes a 32-byte token as hex plus a newline.
 */
public final class JobToken
{
    /** Bytes {@link #generate()} produces. */
    public static final int TOKEN_BYTES = 32;
    /** Shortest raw token accepted from a file. */
    public static final int MIN_RAW_BYTES = 16;
    /** Name of the file {@link #writeTokenFile(Path, byte[])} creates. */
    public static final String TOKEN_FILE_NAME = "jccl.token";
    static final String NO_TOKEN_WARNING =
        "no job token (JCCL_TOKEN_FILE unset): connections are checked by run id only";

    private static final System.Logger LOG = System.getLogger(JobToken.class.getName());
    static final AtomicBoolean NO_TOKEN_WARNED = new AtomicBoolean();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JobToken()
    {
    }

    /**
     * Reads a token file; warns (once per call) when the file is readable by group or others.
     *
     * @throws IllegalArgumentException naming the file when it is unreadable, empty or too short.
     */
    public static byte[] read(final Path file)
    {
        final byte[] content;
        try
        {
            content = Files.readAllBytes(file);
        }
        catch (final IOException | SecurityException ex)
        {
            throw new IllegalArgumentException("cannot read job token file " + file + " (JCCL_TOKEN_FILE): " + ex, ex);
        }
        final byte[] token = decode(content, file);
        final String warning = permissionWarning(file);
        if (warning != null)
        {
            LOG.log(System.Logger.Level.WARNING, warning);
        }
        return token;
    }

    /**
     * The token for a config: {@link JcclConfig#token()} if set, else the content of
     * {@link JcclConfig#tokenFile()} if set, else {@code null} (and one warning per JVM).
     */
    public static byte[] resolve(final JcclConfig config)
    {
        final byte[] token = config.token();
        if (token != null)
        {
            return token;
        }
        if (config.tokenFile() != null)
        {
            return read(config.tokenFile());
        }
        if (NO_TOKEN_WARNED.compareAndSet(false, true))
        {
            LOG.log(System.Logger.Level.WARNING, NO_TOKEN_WARNING);
        }
        return null;
    }

    /** 32 bytes from {@link SecureRandom}. */
    public static byte[] generate()
    {
        final byte[] token = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(token);
        return token;
    }

    /** Lower-case hex, two characters per byte. */
    public static String toHex(final byte[] bytes)
    {
        final char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++)
        {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0xF];
            out[2 * i + 1] = HEX[bytes[i] & 0xF];
        }
        return new String(out);
    }

    /**
     * Inverse of {@link #toHex(byte[])} (either case; surrounding whitespace ignored), e.g. for a token
     * received on the launcher agent's stdin.
     *
     * @throws IllegalArgumentException for an odd length or a non-hex character.
     */
    public static byte[] fromHex(final String hex)
    {
        final String text = hex.trim();
        if ((text.length() & 1) != 0)
        {
            throw new IllegalArgumentException("hex token has an odd length " + text.length());
        }
        final byte[] out = new byte[text.length() / 2];
        for (int i = 0; i < out.length; i++)
        {
            final int hi = hexValue(text.charAt(2 * i));
            final int lo = hexValue(text.charAt(2 * i + 1));
            if (hi < 0 || lo < 0)
            {
                throw new IllegalArgumentException("hex token has a non-hex character near offset " + 2 * i);
            }
            out[i] = (byte)((hi << 4) | lo);
        }
        return out;
    }

    /**
     * Writes {@code token} to {@code dir/}{@value #TOKEN_FILE_NAME} atomically: a temporary file created
     * with owner-only permissions (0600 on POSIX) is written, forced to disk and renamed over the target.
     *
     * @return the token file.
     * @throws IllegalArgumentException if the token could not be read back as written (e.g. shorter than 16 bytes).
     * @throws UncheckedIOException naming the path on an I/O failure.
     */
    public static Path writeTokenFile(final Path dir, final byte[] token)
    {
        final byte[] content = token.length == TOKEN_BYTES ?
            (toHex(token) + "\n").getBytes(StandardCharsets.US_ASCII) : token.clone();
        final Path target = dir.resolve(TOKEN_FILE_NAME);
        final byte[] readBack;
        try
        {
            readBack = decode(content, target);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("job token of " + token.length + " bytes cannot be stored: " +
                ex.getMessage(), ex);
        }
        if (!Arrays.equals(readBack, token))
        {
            throw new IllegalArgumentException("job token of " + token.length + " bytes would read back differently " +
                "(raw bytes that look like 64 hex characters); use a " + TOKEN_BYTES + "-byte token");
        }

        final boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix") &&
            dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        Path tmp = null;
        try
        {
            final FileAttribute<?>[] attrs = posix ?
                new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))} :
                new FileAttribute<?>[0];
            tmp = Files.createTempFile(dir, "." + TOKEN_FILE_NAME + "-", ".tmp", attrs);
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING))
            {
                final ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining())
                {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try
            {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            catch (final AtomicMoveNotSupportedException ex)
            {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
            forceDirectory(dir);
            return target;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write job token file " + target + ": " + ex.getMessage(), ex);
        }
        finally
        {
            if (tmp != null)
            {
                try
                {
                    Files.deleteIfExists(tmp);
                }
                catch (final IOException ignore)
                {
                    // best effort cleanup of the temporary file
                }
            }
        }
    }

    private static void forceDirectory(final Path dir)
    {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ))
        {
            channel.force(true);
        }
        catch (final IOException ignore)
        {
            // not every platform can open or sync a directory; the rename itself has happened
        }
    }

    /** Token bytes from a file's content, by the rules in the class comment. */
    static byte[] decode(final byte[] content, final Path file)
    {
        int start = 0;
        int end = content.length;
        while (start < end && isSpace(content[start]))
        {
            start++;
        }
        while (end > start && isSpace(content[end - 1]))
        {
            end--;
        }
        final String text = new String(content, start, end - start, StandardCharsets.ISO_8859_1);
        if (text.isEmpty())
        {
            throw new IllegalArgumentException("job token file " + file + " (JCCL_TOKEN_FILE) is empty");
        }
        if (text.length() == 2 * TOKEN_BYTES && isHex(text))
        {
            return fromHex(text);
        }
        if (content.length < MIN_RAW_BYTES)
        {
            throw new IllegalArgumentException("job token file " + file + " (JCCL_TOKEN_FILE) is too short: " +
                content.length + " bytes; it must hold 64 hex characters or at least " + MIN_RAW_BYTES + " raw bytes");
        }
        return content.clone();
    }

    /** The warning to log when a token file is readable by group or others, else {@code null}. */
    static String permissionWarning(final Path file)
    {
        final PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null)
        {
            return null;
        }
        try
        {
            final Set<PosixFilePermission> perms = view.readAttributes().permissions();
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ))
            {
                return "job token file " + file + " is readable by group or others (" +
                    PosixFilePermissions.toString(perms) + "); restrict it with chmod 600";
            }
            return null;
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    private static boolean isSpace(final byte b)
    {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == 0x0B;
    }

    private static int hexValue(final char c)
    {
        if (c >= '0' && c <= '9')
        {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f')
        {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F')
        {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static boolean isHex(final String text)
    {
        for (int i = 0; i < text.length(); i++)
        {
            if (hexValue(text.charAt(i)) < 0)
            {
                return false;
            }
        }
        return true;
    }
}
