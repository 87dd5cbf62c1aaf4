package dev.jccl.launcher.plan;

import dev.jccl.launcher.LaunchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Broken or hostile hostfiles get one clear exit-2 message naming the file, the line and what is wrong. */
class HostileHostfileTest
{
    @TempDir
    Path dir;

    private static LaunchException refused(final String... lines)
    {
        final LaunchException e = assertThrows(LaunchException.class, () -> Hostfile.parse(List.of(lines), "hostfile h"));
        assertEquals(LaunchException.USAGE, e.exitCode());
        return e;
    }

    @Test
    void duplicateHostsMergeTheirSlotsAsOpenMpiDoes()
    {
        assertEquals(List.of(new HostSpec("a", 6, 0), new HostSpec("b", 1, 0)),
            Hostfile.parse(List.of("a slots=2", "b", "a slots=4"), "f"));
        assertEquals(List.of(new HostSpec("a", 3, 10)), Hostfile.parse(List.of("a slots=1 max_slots=4", "a slots=2 max_slots=6"), "f"));
    }

    @Test
    void unknownKeyIsNamedWithItsLine()
    {
        final LaunchException e = refused("a slots=2", "", "b colour=blue");
        assertTrue(e.getMessage().contains("hostfile h line 3") && e.getMessage().contains("'colour'"), e.getMessage());
    }

    @Test
    void hugeSlotCountsAreBoundedWithAClearMessage()
    {
        for (final String count : new String[] {"70000", "2147483647", "2147483648", "99999999999999999999999"})
        {
            final LaunchException e = refused("a slots=" + count);
            assertTrue(e.getMessage().contains("line 1") && e.getMessage().contains("over the limit of " + Hostfile.MAX_SLOTS_PER_HOST),
                e.getMessage());
        }
        refused("a:100000");
        refused("a slots=1 max_slots=4000000000");
    }

    @Test
    void duplicatesCannotAddUpPastTheLimits()
    {
        final String[] lines = new String[3];
        java.util.Arrays.fill(lines, "a slots=" + Hostfile.MAX_SLOTS_PER_HOST / 2);
        final LaunchException e = refused(lines);
        assertTrue(e.getMessage().contains("line 3") && e.getMessage().contains("host a"), e.getMessage());

        final String[] many = new String[Hostfile.MAX_RANKS / Hostfile.MAX_SLOTS_PER_HOST + 1];
        for (int i = 0; i < many.length; i++)
        {
            many[i] = "h" + i + " slots=" + Hostfile.MAX_SLOTS_PER_HOST;
        }
        final LaunchException total = refused(many);
        assertTrue(total.getMessage().contains("ranks per job"), total.getMessage());
    }

    @Test
    void namesThatAreNotHostNamesAreRefused()
    {
        final LaunchException e = refused("-oProxyCommand=touch${IFS}/tmp/x slots=1");
        assertTrue(e.getMessage().contains("is not a host name"), e.getMessage());
        refused("a\u0000b");
        refused("host;reboot");
        assertEquals(List.of(new HostSpec("10.0.0.1", 2, 0), new HostSpec("fe80::1%eth0", 1, 0), new HostSpec("user@node-1.example", 1, 0)),
            Hostfile.parse(List.of("10.0.0.1 slots=2", "fe80::1%eth0", "user@node-1.example"), "f"));
    }

    @Test
    void nonUtf8BytesNameTheFileLineAndByte() throws Exception
    {
        final Path file = dir.resolve("latin1");
        final byte[] good = "a slots=2\n# comment\n".getBytes(StandardCharsets.US_ASCII);
        final byte[] bad = {'n', 'o', 'd', (byte)0xE9, ' ', 's', 'l', 'o', 't', 's', '=', '1', '\n'};
        final byte[] all = new byte[good.length + bad.length];
        System.arraycopy(good, 0, all, 0, good.length);
        System.arraycopy(bad, 0, all, good.length, bad.length);
        Files.write(file, all);
        final LaunchException e = assertThrows(LaunchException.class, () -> Hostfile.read(file, null));
        assertEquals(LaunchException.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("line 3") &&
            e.getMessage().contains("0xe9") && e.getMessage().contains("column 4"), e.getMessage());
    }

    @Test
    void utf8CrlfAndAMissingFinalNewlineRead() throws Exception
    {
        final Path file = dir.resolve("crlf");
        Files.write(file, "# h\u00f4tes\r\na slots=2\r\nb".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(new HostSpec("a", 2, 0), new HostSpec("b", 1, 0)), Hostfile.read(file, null));
    }

    @Test
    void binaryOrHugeFilesAreRefusedWithoutReadingThemWhole() throws Exception
    {
        final Path binary = dir.resolve("binary");
        final byte[] junk = new byte[4096];
        new java.util.Random(3).nextBytes(junk);
        Files.write(binary, junk);
        final LaunchException e = assertThrows(LaunchException.class, () -> Hostfile.read(binary, null));
        assertTrue(e.getMessage().contains(binary.toString()), e.getMessage());

        final Path huge = dir.resolve("huge");
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(huge.toFile(), "rw"))
        {
            file.setLength(HostfileText.MAX_BYTES + 1L); // sparse: costs no disk
        }
        final LaunchException tooBig = assertThrows(LaunchException.class, () -> Hostfile.read(huge, null));
        assertTrue(tooBig.getMessage().contains("larger than"), tooBig.getMessage());
    }
}
