package dev.jccl.launcher;

import dev.jccl.launcher.plan.MapBy;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class CommandLineTest
{
    @Test
    void parsesMpirunStyleFlagsAndStopsAtTheProgram()
    {
        final LaunchConfig c = CommandLine.parse("-np", "4", "-H", "a:2,b:2", "-x", "FOO", "-x", "BAR=1",
            "--tag-output", "--timeout", "30", "--rsh", "ssh -p 2222", "--oversubscribe", "--map-by", "node",
            "--grace-period", "0.5", "--rsh-retry-time", "7", "prog", "-np", "9", "--tag-output");
        assertEquals(4, c.np());
        assertEquals(List.of("a:2,b:2"), c.hostList());
        assertEquals(List.of("FOO", "BAR=1"), c.exports());
        assertTrue(c.tagOutput());
        assertEquals(Duration.ofSeconds(30), c.timeout());
        assertEquals("ssh -p 2222", c.rsh());
        assertTrue(c.oversubscribe());
        assertEquals(MapBy.NODE, c.mapBy());
        assertEquals(Duration.ofMillis(500), c.gracePeriod());
        assertEquals(Duration.ofSeconds(7), c.rshRetryTime());
        assertEquals(List.of("prog", "-np", "9", "--tag-output"), c.program());
    }

    @Test
    void defaultsAreOnePerSlotNoTimeoutFiveSecondGraceTwoMinuteSshRetry()
    {
        final LaunchConfig c = CommandLine.parse("--", "prog");
        assertNull(c.np());
        assertNull(c.timeout());
        assertNull(c.hostfile());
        assertEquals(MapBy.SLOT, c.mapBy());
        assertEquals(Duration.ofSeconds(5), c.gracePeriod());
        assertEquals(Duration.ofMinutes(2), c.rshRetryTime());
        assertEquals(List.of("prog"), c.program());
    }

    @Test
    void acceptsSingleDashSpellingsLikeMpirun()
    {
        final LaunchConfig c = CommandLine.parse("-hostfile", "/tmp/h", "-tag-output", "-n", "2", "prog");
        assertEquals(Path.of("/tmp/h"), c.hostfile());
        assertTrue(c.tagOutput());
        assertEquals(2, c.np());
    }

    @Test
    void badFlagsAreUsageErrorsWithExitCode2()
    {
        assertEquals(2, assertThrows(LaunchException.class, () -> CommandLine.parse("--bogus", "prog")).exitCode());
        assertEquals(2, assertThrows(LaunchException.class, () -> CommandLine.parse("-np", "0", "prog")).exitCode());
        assertEquals(2, assertThrows(LaunchException.class, () -> CommandLine.parse("-np", "x", "prog")).exitCode());
        assertEquals(2, assertThrows(LaunchException.class, () -> CommandLine.parse("-np", "2")).exitCode());
        assertEquals(2, assertThrows(LaunchException.class, () -> CommandLine.parse("--map-by", "socket", "p")).exitCode());
        assertEquals(2, assertThrows(LaunchException.class, () -> CommandLine.parse("-x", "1BAD", "p")).exitCode());
        assertEquals(2, assertThrows(LaunchException.class, () -> CommandLine.parse("-H", "a", "--hostfile", "f", "p")).exitCode());
        assertEquals(2, assertThrows(LaunchException.class, () -> CommandLine.parse("--timeout", "-1", "p")).exitCode());
    }

    @Test
    void transportIsShorthandForExportingJcclTransport()
    {
        assertEquals(List.of("A=1", "JCCL_TRANSPORT=nccl"), CommandLine.parse("-x", "A=1", "--transport", "nccl", "prog").exports());
    }

    @Test
    void helpIsReportedNotParsed()
    {
        final CommandLine.HelpRequested help = assertThrows(CommandLine.HelpRequested.class, () -> CommandLine.parse("--help"));
        assertTrue(help.text().contains("--hostfile"), help.text());
    }
}
