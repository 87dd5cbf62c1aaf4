package dev.jccl.env;

import dev.jccl.JcclConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class JobTokenTest
{
    private static final String HEX64 = "00112233445566778899aabbccddeeff00112233445566778899AABBCCDDEEFF";

    @TempDir
    Path dir;

    private static boolean posix()
    {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private Path file(final String name, final byte[] content, final String perms) throws IOException
    {
        final Path file = dir.resolve(name);
        Files.write(file, content);
        if (posix())
        {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(perms));
        }
        return file;
    }

    private static void assertMentions(final Exception ex, final String... words)
    {
        for (final String word : words)
        {
            assertTrue(ex.getMessage().contains(word), () -> "'" + ex.getMessage() + "' should mention " + word);
        }
    }

    @Test
    void hexFileIsDecodedToThirtyTwoBytes() throws IOException
    {
        final byte[] token = JobToken.read(file("t", HEX64.getBytes(StandardCharsets.US_ASCII), "rw-------"));
        assertEquals(32, token.length);
        assertEquals(HEX64.toLowerCase(), JobToken.toHex(token));
    }

    @Test
    void hexFileWhitespaceIsTrimmed() throws IOException
    {
        final byte[] token = JobToken.read(file("t", ("  " + HEX64 + "\r\n\n").getBytes(StandardCharsets.US_ASCII), "rw-------"));
        assertEquals(HEX64.toLowerCase(), JobToken.toHex(token));
    }

    @Test
    void rawFileOfSixteenBytesOrMoreIsUsedAsIs() throws IOException
    {
        final byte[] raw = new byte[20];
        for (int i = 0; i < raw.length; i++)
        {
            raw[i] = (byte)(i * 13 - 100);
        }
        assertArrayEquals(raw, JobToken.read(file("t", raw, "rw-------")));
    }

    @Test
    void nonHexTextIsUsedAsRawBytes() throws IOException
    {
        final byte[] text = "correct horse battery staple\n".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(text, JobToken.read(file("t", text, "rw-------")));
    }

    @Test
    void emptyFileIsRejectedNamingTheFile() throws IOException
    {
        final Path file = file("empty", new byte[0], "rw-------");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> JobToken.read(file)), file.toString(), "empty");
    }

    @Test
    void whitespaceOnlyFileIsRejectedAsEmpty() throws IOException
    {
        final Path file = file("blank", " \n\n                    \n".getBytes(StandardCharsets.US_ASCII), "rw-------");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> JobToken.read(file)), file.toString(), "empty");
    }

    @Test
    void tooShortFileIsRejectedNamingTheFile() throws IOException
    {
        final Path file = file("short", "secret".getBytes(StandardCharsets.US_ASCII), "rw-------");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> JobToken.read(file)), file.toString(), "short");
    }

    @Test
    void missingFileIsRejectedNamingTheFile()
    {
        final Path file = dir.resolve("nope");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> JobToken.read(file)), file.toString());
    }

    @Test
    void directoryIsRejectedNamingIt()
    {
        assertMentions(assertThrows(IllegalArgumentException.class, () -> JobToken.read(dir)), dir.toString());
    }

    @Test
    void unreadableFileIsRejectedNamingTheFile() throws IOException
    {
        assumeTrue(posix());
        final Path file = file("locked", HEX64.getBytes(StandardCharsets.US_ASCII), "---------");
        assumeFalseRoot(file);
        assertMentions(assertThrows(IllegalArgumentException.class, () -> JobToken.read(file)), file.toString());
    }

    private static void assumeFalseRoot(final Path file)
    {
        assumeTrue(!Files.isReadable(file), "running as root: permissions are not enforced");
    }

    @Test
    void groupOrWorldReadableFileIsReadWithAWarning() throws IOException
    {
        assumeTrue(posix());
        final Path file = file("open", HEX64.getBytes(StandardCharsets.US_ASCII), "rw-r--r--");
        try (LogCapture log = new LogCapture(JobToken.class))
        {
            assertEquals(32, JobToken.read(file).length);
            assertEquals(1, log.messages(Level.WARNING).size());
            assertMentions(new Exception(log.messages(Level.WARNING).get(0)), file.toString(), "chmod 600");
        }
        assertNotNull(JobToken.permissionWarning(file("group", HEX64.getBytes(StandardCharsets.US_ASCII), "rw-r-----")));
    }

    @Test
    void ownerOnlyFileIsReadWithoutWarning() throws IOException
    {
        assumeTrue(posix());
        final Path file = file("closed", HEX64.getBytes(StandardCharsets.US_ASCII), "rw-------");
        try (LogCapture log = new LogCapture(JobToken.class))
        {
            JobToken.read(file);
            assertTrue(log.messages(Level.WARNING).isEmpty());
        }
        assertNull(JobToken.permissionWarning(file));
    }

    @Test
    void generateGivesThirtyTwoDifferentRandomBytes()
    {
        final byte[] a = JobToken.generate();
        final byte[] b = JobToken.generate();
        assertEquals(32, a.length);
        assertFalse(Arrays.equals(a, b));
    }

    @Test
    void hexRoundTrips()
    {
        final byte[] token = JobToken.generate();
        final String hex = JobToken.toHex(token);
        assertEquals(64, hex.length());
        assertEquals(hex.toLowerCase(), hex);
        assertArrayEquals(token, JobToken.fromHex(hex));
        assertEquals("00ff7f80", JobToken.toHex(new byte[] {0, -1, 127, -128}));
    }

    @Test
    void fromHexRejectsOddLengthAndNonHex()
    {
        assertThrows(IllegalArgumentException.class, () -> JobToken.fromHex("abc"));
        assertThrows(IllegalArgumentException.class, () -> JobToken.fromHex("zz"));
        assertThrows(IllegalArgumentException.class, () -> JobToken.fromHex("\u0661\u0662"));
    }

    @Test
    void writtenTokenFileIsOwnerOnlyAndReadsBack() throws IOException
    {
        final byte[] token = JobToken.generate();
        final Path file = JobToken.writeTokenFile(dir, token);
        assertEquals(dir.resolve(JobToken.TOKEN_FILE_NAME), file);
        assertArrayEquals(token, JobToken.read(file));
        if (posix())
        {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        }
        try (var files = Files.list(dir))
        {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void writingAgainReplacesTheTokenFile()
    {
        JobToken.writeTokenFile(dir, JobToken.generate());
        final byte[] second = JobToken.generate();
        assertArrayEquals(second, JobToken.read(JobToken.writeTokenFile(dir, second)));
    }

    @Test
    void nonStandardLengthTokenIsWrittenRawAndReadsBack()
    {
        final byte[] token = new byte[48];
        Arrays.fill(token, (byte)7);
        assertArrayEquals(token, JobToken.read(JobToken.writeTokenFile(dir, token)));
    }

    @Test
    void tooShortTokenIsNotWritten()
    {
        assertThrows(IllegalArgumentException.class, () -> JobToken.writeTokenFile(dir, new byte[8]));
    }

    @Test
    void rawTokenThatWouldReadBackAsHexIsNotWritten()
    {
        final byte[] looksHex = HEX64.getBytes(StandardCharsets.US_ASCII);
        assertThrows(IllegalArgumentException.class, () -> JobToken.writeTokenFile(dir, looksHex));
    }

    @Test
    void writingIntoMissingDirectoryFailsNamingThePath()
    {
        final Path missing = dir.resolve("no/such/dir");
        assertMentions(assertThrows(UncheckedIOException.class, () -> JobToken.writeTokenFile(missing, JobToken.generate())),
            missing.toString());
    }

    @Test
    void resolvePrefersTheConfigToken() throws IOException
    {
        final byte[] token = JobToken.generate();
        final Path file = file("t", HEX64.getBytes(StandardCharsets.US_ASCII), "rw-------");
        assertArrayEquals(token, JobToken.resolve(new JcclConfig().token(token).tokenFile(file)));
    }

    @Test
    void resolveReadsTheTokenFileWhenNoTokenIsSet() throws IOException
    {
        final Path file = file("t", HEX64.getBytes(StandardCharsets.US_ASCII), "rw-------");
        assertEquals(HEX64.toLowerCase(), JobToken.toHex(JobToken.resolve(new JcclConfig().tokenFile(file))));
    }

    @Test
    void resolveFailsOnABadTokenFile()
    {
        final Path file = dir.resolve("missing");
        assertThrows(IllegalArgumentException.class, () -> JobToken.resolve(new JcclConfig().tokenFile(file)));
    }

    @Test
    void resolveWithoutTokenReturnsNullAndWarnsOncePerJvm()
    {
        JobToken.NO_TOKEN_WARNED.set(false);
        try (LogCapture log = new LogCapture(JobToken.class))
        {
            assertNull(JobToken.resolve(new JcclConfig()));
            assertNull(JobToken.resolve(new JcclConfig()));
            assertEquals(1, log.messages(Level.WARNING).size());
            assertEquals("no job token (JCCL_TOKEN_FILE unset): connections are checked by run id only",
                log.messages(Level.WARNING).get(0));
        }
    }
}
