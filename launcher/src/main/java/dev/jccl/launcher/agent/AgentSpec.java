package dev.jccl.launcher.agent;

import dev.jccl.launcher.bind.BindTo;
import dev.jccl.launcher.run.RankLaunch;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the launcher tells an agent on its stdin: run id, job token, working directory, program,
 * grace period, CPU binding and the host's ranks with their variables. Binary, length-prefixed, so nothing needs
 * escaping; the token never appears on a command line.
 */
public record AgentSpec(
    String runId, byte[] token, String cwd, List<String> program, long graceMillis, BindTo bindTo, boolean reportBindings,
    List<RankLaunch> ranks)
{
    static final int MAX_FIELD = 64 << 20;

    public AgentSpec
    {
        token = token.clone();
        program = List.copyOf(program);
        java.util.Objects.requireNonNull(bindTo, "bindTo");
        ranks = List.copyOf(ranks);
    }

    @Override
    public byte[] token()
    {
        return token.clone();
    }

    public void write(final DataOutputStream out) throws IOException
    {
        out.write(AgentProtocol.SPEC_MAGIC);
        writeString(out, runId);
        out.writeInt(token.length);
        out.write(token);
        writeString(out, cwd);
        out.writeInt(program.size());
        for (final String arg : program)
        {
            writeString(out, arg);
        }
        out.writeLong(graceMillis);
        writeString(out, bindTo.flagValue());
        out.writeBoolean(reportBindings);
        out.writeInt(ranks.size());
        for (final RankLaunch r : ranks)
        {
            out.writeInt(r.rank());
            out.writeInt(r.env().size());
            for (final Map.Entry<String, String> e : r.env().entrySet())
            {
                writeString(out, e.getKey());
                writeString(out, e.getValue());
            }
        }
        out.flush();
    }

    public static AgentSpec read(final DataInputStream in) throws IOException
    {
        final byte[] magic = new byte[AgentProtocol.SPEC_MAGIC.length];
        in.readFully(magic);
        if (!java.util.Arrays.equals(magic, AgentProtocol.SPEC_MAGIC))
        {
            final String got = new String(magic, StandardCharsets.US_ASCII).trim();
            if (got.startsWith(AgentProtocol.SPEC_MAGIC_PREFIX))
            {
                throw new IOException("the launcher speaks job spec " + got + " and this agent reads "
                    + new String(AgentProtocol.SPEC_MAGIC, StandardCharsets.US_ASCII).trim()
                    + ": install the same jcclrun version on every host");
            }
            throw new IOException("not a jcclrun launcher on stdin (bad magic); 'jcclrun agent' is started by jcclrun, not by hand");
        }
        final String runId = readString(in);
        final byte[] token = new byte[checkedLength(in.readInt())];
        in.readFully(token);
        final String cwd = readString(in);
        final int argc = checkedLength(in.readInt());
        final List<String> program = new ArrayList<>(argc);
        for (int i = 0; i < argc; i++)
        {
            program.add(readString(in));
        }
        final long grace = in.readLong();
        final BindTo bindTo;
        try
        {
            bindTo = BindTo.parse(readString(in));
        }
        catch (final IllegalArgumentException e)
        {
            throw new IOException("corrupt agent stream: " + e.getMessage(), e);
        }
        final boolean reportBindings = in.readBoolean();
        final int n = checkedLength(in.readInt());
        final List<RankLaunch> ranks = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
        {
            final int rank = in.readInt();
            final int vars = checkedLength(in.readInt());
            final Map<String, String> env = new LinkedHashMap<>();
            for (int v = 0; v < vars; v++)
            {
                env.put(readString(in), readString(in));
            }
            ranks.add(new RankLaunch(rank, env));
        }
        return new AgentSpec(runId, token, cwd, program, grace, bindTo, reportBindings, ranks);
    }

    static void writeString(final DataOutputStream out, final String s) throws IOException
    {
        final byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    static String readString(final DataInputStream in) throws IOException
    {
        final byte[] b = new byte[checkedLength(in.readInt())];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    static int checkedLength(final int n) throws IOException
    {
        if (n < 0 || n > MAX_FIELD)
        {
            throw new IOException("corrupt agent stream: length " + n);
        }
        return n;
    }
}
