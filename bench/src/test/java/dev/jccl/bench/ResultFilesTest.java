package dev.jccl.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultFilesTest
{
    @Test
    void writesJsonCsvAndAPngPlot(@TempDir final Path dir) throws Exception
    {
        final Path json = dir.resolve("r.json");
        final Path csv = dir.resolve("r.csv");
        final Path png = dir.resolve("plots/r.png");
        final PerfDriverTest.Run r = PerfDriverTest.run(new FakeFactory(), "all_reduce", "-t", "2", "-b", "8", "-e", "8K", "-f", "4",
            "-n", "2", "-w", "0", "--algo", "ring,rd", "--json", json.toString(), "--csv", csv.toString(), "--plot", png.toString());
        assertEquals(0, r.code(), r.stderr());

        final String j = Files.readString(json);
        assertTrue(j.contains("\"tool\": \"jccl-perf\"") && j.contains("\"collective\": \"all_reduce\""), j);
        assertTrue(j.contains("\"algo\": \"ring\"") && j.contains("\"algo\": \"rd\""), j);
        assertEquals(2 * 6, j.split("\"outOfPlace\"").length - 1);
        assertTrue(j.contains("\"wrong\": 0"));

        final List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        assertEquals(ResultFiles.CSV_HEADER, lines.get(0));
        // 2 variants x 6 sizes x 2 placements
        assertEquals(1 + 2 * 6 * 2, lines.size());
        assertTrue(lines.get(1).startsWith("all_reduce,ring,fake,2,8,2,float,sum,-1,out-of-place,"), lines.get(1));

        final byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(png), 8);
        assertArrayEquals(new byte[] { (byte)0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' }, head);
    }

    @Test
    void jsonStringsAreEscaped()
    {
        assertEquals("\"a\\\"b\\\\c\\n\"", ResultFiles.str("a\"b\\c\n"));
    }
}
