package dev.jccl.launcher.agent;

import dev.jccl.launcher.run.RankLaunch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The agent without ssh: its stdin and stdout are pipes in this JVM. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AgentTest
{
    @TempDir
    Path dir;

    private AgentSpec spec(final String script, final int ranks)
    {
        final List<RankLaunch> launches = new ArrayList<>();
        for (int r = 0; r < ranks; r++)
        {
            launches.add(new RankLaunch(10 + r, Map.of("RANK", Integer.toString(10 + r))));
        }
        return new AgentSpec("jccl-test", new byte[32], dir.toString(), List.of("sh", "-c", script), 500,
            dev.jccl.launcher.bind.BindTo.SHARE, false, launches);
    }

    @Test
    void specSurvivesTheWireWithTheTokenOffTheCommandLine() throws Exception
    {
        final AgentSpec spec = spec("echo hi", 2);
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        spec.write(new DataOutputStream(bytes));
        final AgentSpec back = AgentSpec.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertEquals(spec.runId(), back.runId());
        assertArrayEquals(spec.token(), back.token());
        assertEquals(spec.program(), back.program());
        assertEquals(spec.ranks(), back.ranks());
        assertEquals(spec.graceMillis(), back.graceMillis());
        assertEquals(spec.bindTo(), back.bindTo());
        assertEquals(spec.reportBindings(), back.reportBindings());
    }

    @Test
    void aSpecOfAnotherVersionNamesBothVersions() throws Exception
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        spec("echo hi", 1).write(new DataOutputStream(bytes));
        final byte[] old = bytes.toByteArray();
        old["JCCLSPEC".length()] = '1';
        final java.io.IOException e = assertThrows(java.io.IOException.class,
            () -> AgentSpec.read(new DataInputStream(new ByteArrayInputStream(old))));
        assertEquals("the launcher speaks job spec JCCLSPEC1 and this agent reads JCCLSPEC2: install the same jcclrun version on every host",
            e.getMessage());
    }

    @Test
    void reportsOutputAndExitsOfItsRanksThenDone() throws Exception
    {
        // stdin stays open, as the launcher keeps it: end of stdin would mean "launcher gone, stop".
        final PipedOutputStream toAgent = new PipedOutputStream();
        final PipedInputStream agentIn = new PipedInputStream(toAgent, 1 << 16);
        spec("echo out-$RANK; test -f \"$JCCL_TOKEN_FILE\" || exit 9; exit $((RANK - 10))", 2).write(new DataOutputStream(toAgent));
        final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        final int code = Agent.run(agentIn, stdout, new PrintStream(new ByteArrayOutputStream()));
        toAgent.close();
        assertEquals(0, code);
        final List<String> frames = decode(stdout.toByteArray());
        assertTrue(frames.contains("O 10 out-10") && frames.contains("O 11 out-11"), frames.toString());
        assertTrue(frames.contains("X 10 0") && frames.contains("X 11 1"), frames.toString());
        assertEquals("D", frames.get(frames.size() - 1), frames.toString());
    }

    @Test
    void closingStdinStopsItsRanks() throws Exception
    {
        final PipedOutputStream toAgent = new PipedOutputStream();
        final PipedInputStream agentIn = new PipedInputStream(toAgent, 1 << 16);
        final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        spec("echo $$ > " + dir + "/pid.$RANK.tmp && mv " + dir + "/pid.$RANK.tmp " + dir + "/pid.$RANK; exec sleep 60", 2)
            .write(new DataOutputStream(toAgent));
        final Thread agent = new Thread(() -> Agent.run(agentIn, stdout, new PrintStream(new ByteArrayOutputStream())));
        agent.start();
        final long deadline = System.currentTimeMillis() + 10_000;
        while (!(Files.exists(dir.resolve("pid.10")) && Files.exists(dir.resolve("pid.11"))) && System.currentTimeMillis() < deadline)
        {
            Thread.sleep(20);
        }
        final long pid = Long.parseLong(Files.readString(dir.resolve("pid.10")).strip());
        assertTrue(ProcessHandle.of(pid).isPresent());
        toAgent.close(); // the launcher is gone
        agent.join(10_000);
        assertFalse(agent.isAlive(), "agent did not finish after its stdin closed");
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "rank outlived the agent");
        final List<String> frames = decode(stdout.toByteArray());
        assertTrue(frames.contains("X 10 143") && frames.contains("X 11 143"), frames.toString());
    }

    /** Frames as short strings: "O rank text", "X rank code", "D", ... */
    static List<String> decode(final byte[] bytes) throws Exception
    {
        final DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        final byte[] hello = new byte[AgentProtocol.HELLO_MAGIC.length];
        in.readFully(hello);
        assertArrayEquals(AgentProtocol.HELLO_MAGIC, hello);
        final List<String> frames = new ArrayList<>();
        try
        {
            while (true)
            {
                final byte type = in.readByte();
                switch (type)
                {
                    case AgentProtocol.STARTED -> frames.add("S " + in.readInt() + " " + in.readLong());
                    case AgentProtocol.STDOUT, AgentProtocol.STDERR ->
                    {
                        final int rank = in.readInt();
                        final byte[] line = new byte[in.readInt()];
                        in.readFully(line);
                        frames.add((char)type + " " + rank + " " + new String(line, StandardCharsets.UTF_8));
                    }
                    case AgentProtocol.EXITED ->
                    {
                        final int rank = in.readInt();
                        in.readLong();
                        frames.add("X " + rank + " " + in.readInt());
                    }
                    case AgentProtocol.START_FAILED -> frames.add("F " + in.readInt() + " " + in.readInt() + " " + AgentSpec.readString(in));
                    case AgentProtocol.LOG -> frames.add("L " + AgentSpec.readString(in));
                    case AgentProtocol.DONE -> frames.add("D");
                    default -> fail("unknown frame " + type);
                }
            }
        }
        catch (final EOFException end)
        {
            return frames;
        }
    }
}
