package dev.jccl.launcher.plan;

import dev.jccl.launcher.LaunchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class HostfileTest
{
    @TempDir
    Path dir;

    @Test
    void readsOpenMpiFormatWithCommentsBlankLinesAndMaxSlots()
    {
        final List<HostSpec> hosts = Hostfile.parse(List.of(
            "# workers",
            "",
            "worker-0 slots=4 max_slots=8   # first",
            "   worker-1    slots=2",
            "worker-2"), "f");
        assertEquals(List.of(new HostSpec("worker-0", 4, 8), new HostSpec("worker-1", 2, 0), new HostSpec("worker-2", 1, 0)), hosts);
    }

    @Test
    void readsMpichFormatAndMergesRepeatedHosts()
    {
        assertEquals(List.of(new HostSpec("a", 5, 0), new HostSpec("b", 1, 0)),
            Hostfile.parse(List.of("a:2", "b", "a:3"), "f"));
    }

    @Test
    void hostListCountsRepeatsAsSlots()
    {
        assertEquals(List.of(new HostSpec("a", 2, 0), new HostSpec("b", 3, 0)),
            Hostfile.parseHostList(List.of("a,a", "b:3")));
    }

    @Test
    void rejectsGarbageNamingTheLine()
    {
        final LaunchException e = assertThrows(LaunchException.class,
            () -> Hostfile.parse(List.of("a slots=2", "b slots=zero"), "hostfile h"));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().contains("hostfile h line 2"), e.getMessage());
        assertThrows(LaunchException.class, () -> Hostfile.parse(List.of("a colour=blue"), "f"));
        assertThrows(LaunchException.class, () -> Hostfile.parse(List.of("a slots=4 max_slots=2"), "f"));
    }

    @Test
    void missingEmptyAndUnreadableFilesAreExit2NamingTheFile() throws Exception
    {
        final Path missing = dir.resolve("nope");
        LaunchException e = assertThrows(LaunchException.class, () -> Hostfile.read(missing, null));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());

        final Path empty = Files.writeString(dir.resolve("empty"), "# only a comment\n\n");
        e = assertThrows(LaunchException.class, () -> Hostfile.read(empty, null));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().contains(empty.toString()) && e.getMessage().contains("no hosts"), e.getMessage());

        e = assertThrows(LaunchException.class, () -> Hostfile.read(dir, null));
        assertEquals(2, e.exitCode());
    }
}
