package dev.jccl.launcher;

import dev.jccl.launcher.agent.RshCommand;
import dev.jccl.launcher.run.LinePump;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class SmallPartsTest
{
    @Test
    void exitCodesAbove128ReadAsSignalsLikeAShellReadsThem()
    {
        assertEquals("exited with code 3", ExitStatus.describe(3));
        assertEquals("exited with code 128", ExitStatus.describe(128));
        assertEquals("killed by signal 9 (SIGKILL)", ExitStatus.describe(137));
        assertEquals("killed by signal 15 (SIGTERM)", ExitStatus.describe(143));
        assertEquals("exited with code 255", ExitStatus.describe(255));
    }

    @Test
    void rshComesFromTheFlagThenOpenMpiVariablesAndSshGetsBatchMode()
    {
        assertEquals(List.of("ssh", "-o", "BatchMode=yes"), RshCommand.resolve(null, Map.of()).argv());
        assertEquals(List.of("ssh", "-o", "BatchMode=yes", "-p", "2222", "-o", "ConnectionAttempts=10"),
            RshCommand.resolve(null, Map.of("OMPI_MCA_plm_rsh_agent", "ssh -p 2222", "OMPI_MCA_plm_rsh_args", "-o ConnectionAttempts=10")).argv());
        assertEquals(List.of("/etc/mpi/kubexec.sh"), RshCommand.resolve(null, Map.of("OMPI_MCA_plm_rsh_agent", "/etc/mpi/kubexec.sh:rsh")).argv());
        assertEquals(List.of("/usr/bin/ssh", "-o", "BatchMode=yes", "-q"),
            RshCommand.resolve("/usr/bin/ssh -q", Map.of("OMPI_MCA_plm_rsh_agent", "rsh")).argv());
        assertEquals(List.of("ssh", "-o", "BatchMode=no"), RshCommand.resolve("ssh -o BatchMode=no", Map.of()).argv());
        assertEquals(List.of("ssh", "-o", "BatchMode=yes", "h", "jcclrun agent"),
            RshCommand.resolve(null, Map.of()).command("h", "jcclrun agent"));
    }

    @Test
    void shellQuotingSurvivesSpacesAndQuotes()
    {
        assertEquals("/opt/jccl/bin/jcclrun", RshCommand.quote("/opt/jccl/bin/jcclrun"));
        assertEquals("'a b'", RshCommand.quote("a b"));
        assertEquals("'it'\\''s'", RshCommand.quote("it's"));
        assertEquals("''", RshCommand.quote(""));
    }

    @Test
    void linePumpHandsOnWholeLinesAndTheUnterminatedTail()
    {
        final List<String> lines = new ArrayList<>();
        LinePump.pump(new ByteArrayInputStream("a\n\nbc\nlast".getBytes(StandardCharsets.UTF_8)),
            l -> lines.add(new String(l, StandardCharsets.UTF_8)));
        assertEquals(List.of("a", "", "bc", "last"), lines);
    }

    @Test
    void linePumpSplitsLinesLongerThanTheLimit()
    {
        final List<Integer> sizes = new ArrayList<>();
        LinePump.pump(new ByteArrayInputStream(new byte[LinePump.MAX_LINE * 2 + 5]), l -> sizes.add(l.length));
        assertEquals(List.of(LinePump.MAX_LINE, LinePump.MAX_LINE, 5), sizes);
    }

    @Test
    void localhostAndThisHostsAddressesAreLocalButOtherLoopbackAddressesAreNot()
    {
        final LocalHosts hosts = new LocalHosts();
        assertTrue(hosts.isLocal("localhost"));
        assertTrue(hosts.isLocal("LOCALHOST"));
        assertTrue(hosts.isLocal("127.0.0.1"));
        assertFalse(hosts.isLocal("127.0.0.2"));
        assertFalse(hosts.isLocal("no-such-host.invalid"));
    }
}
