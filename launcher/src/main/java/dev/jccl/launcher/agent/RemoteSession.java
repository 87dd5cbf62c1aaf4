package dev.jccl.launcher.agent;

import dev.jccl.launcher.HostSession;
import dev.jccl.launcher.LaunchEvent;
import dev.jccl.launcher.LaunchException;
import dev.jccl.launcher.OutputRelay;
import dev.jccl.launcher.run.LinePump;
import dev.jccl.launcher.run.RankLaunch;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The ranks of one remote host: one ssh connection running {@code jcclrun agent} there. ssh
 * failures before the agent answers (ssh's exit code 255: host unknown, connection refused, sshd
 * not up yet) are retried with exponential backoff (0.5 s doubling to 15 s) for the configured
 * time, each retry logged; then the host is reported lost with exit code 255. Any other failure
 * before the agent answers (for example {@code jcclrun} missing there) is reported at once.
 */
public final class RemoteSession implements HostSession
{
    private static final long MAX_BACKOFF_MS = 15_000;

    private final String host;
    private final AgentSpec spec;
    private final RshCommand rsh;
    private final String agentCommand;
    private final Duration retryTime;
    private final OutputRelay relay;
    private final Consumer<LaunchEvent> events;
    private final Consumer<String> log;
    private final Set<Integer> unreported = new HashSet<>();
    private final Object lock = new Object();
    private Thread thread;
    private Process ssh;
    private OutputStream agentStdin;
    private boolean stopped;

    public RemoteSession(
        final String host, final AgentSpec spec, final RshCommand rsh, final String agentCommand, final Duration retryTime,
        final OutputRelay relay, final Consumer<LaunchEvent> events, final Consumer<String> log)
    {
        this.host = host;
        this.spec = spec;
        this.rsh = rsh;
        this.agentCommand = agentCommand;
        this.retryTime = retryTime;
        this.relay = relay;
        this.events = events;
        this.log = log;
        for (final RankLaunch r : spec.ranks())
        {
            unreported.add(r.rank());
        }
    }

    @Override
    public String host()
    {
        return host;
    }

    @Override
    public void start()
    {
        thread = new Thread(this::runSession, "ssh-" + host);
        thread.setDaemon(true);
        thread.start();
    }

    private void runSession()
    {
        final long deadline = System.nanoTime() + retryTime.toNanos();
        long backoff = 500;
        int attempt = 0;
        final List<String> command = rsh.command(host, agentCommand + " agent");
        while (true)
        {
            attempt++;
            final Process p;
            synchronized (lock)
            {
                if (stopped)
                {
                    lost(143, "host " + host + ": not started, the job is stopping");
                    return;
                }
                try
                {
                    p = new ProcessBuilder(command).start();
                }
                catch (final IOException e)
                {
                    lost(LaunchException.NOT_FOUND, "cannot run remote shell '" + command.get(0) + "' for host " + host + ": " + e.getMessage());
                    return;
                }
                ssh = p;
                agentStdin = null; // commands wait until the spec is out, or the agent would read them as the spec
            }
            log.accept("ssh to " + host + " (attempt " + attempt + "): " + String.join(" ", command));
            final StderrTail stderr = new StderrTail(p.getErrorStream());
            final OutputStream stdin = p.getOutputStream();
            try
            {
                spec.write(new DataOutputStream(stdin));
            }
            catch (final IOException ignored)
            {
                // ssh died before reading: its exit code says why
            }
            final boolean stopNow;
            synchronized (lock)
            {
                agentStdin = stdin;
                stopNow = stopped;
            }
            if (stopNow)
            {
                send(AgentProtocol.CMD_TERMINATE); // terminate() came while the spec was being written
            }
            final DataInputStream in = new DataInputStream(new BufferedInputStream(p.getInputStream()));
            final boolean hello = awaitHello(in);
            if (hello)
            {
                stderr.connected = true;
                relayFrames(in, p, stderr);
                return;
            }
            final int code = waitFor(p);
            stderr.join();
            final String why = stderr.last();
            if (code != 255)
            {
                lost(LaunchException.UNREACHABLE, "cannot start 'jcclrun agent' on host " + host + ": remote command exited with code "
                    + code + (why.isEmpty() ? "" : ": " + why));
                return;
            }
            final long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            synchronized (lock)
            {
                if (stopped)
                {
                    lost(143, "host " + host + ": not started, the job is stopping");
                    return;
                }
            }
            if (left <= 0)
            {
                lost(LaunchException.UNREACHABLE, "cannot reach host " + host + " with " + command.get(0) + " after " + attempt
                    + " attempt" + (attempt == 1 ? "" : "s") + " in " + retryTime.toSeconds() + " s" + (why.isEmpty() ? "" : ": " + why));
                return;
            }
            final long sleep = Math.min(backoff, left);
            relay.message("ssh to " + host + " failed (attempt " + attempt + (why.isEmpty() ? "" : ": " + why) + "); retrying in "
                + String.format(java.util.Locale.ROOT, "%.1f", sleep / 1000.0) + " s");
            sleepUnlessStopped(sleep);
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        }
    }

    private boolean awaitHello(final DataInputStream in)
    {
        final byte[] magic = AgentProtocol.HELLO_MAGIC;
        int matched = 0;
        try
        {
            int b;
            while ((b = in.read()) >= 0)
            {
                if (b == (magic[matched] & 0xff))
                {
                    if (++matched == magic.length)
                    {
                        return true;
                    }
                }
                else
                {
                    matched = b == (magic[0] & 0xff) ? 1 : 0; // skip what a login script printed
                }
            }
        }
        catch (final IOException ignored)
        {
            // connection gone
        }
        return false;
    }

    private void relayFrames(final DataInputStream in, final Process p, final StderrTail stderr)
    {
        boolean done = false;
        try
        {
            while (!done)
            {
                final byte type = in.readByte();
                switch (type)
                {
                    case AgentProtocol.STARTED -> events.accept(new LaunchEvent.Started(in.readInt(), host, in.readLong()));
                    case AgentProtocol.STDOUT, AgentProtocol.STDERR ->
                    {
                        final int rank = in.readInt();
                        final byte[] line = new byte[AgentSpec.checkedLength(in.readInt())];
                        in.readFully(line);
                        relay.line(rank, type == AgentProtocol.STDERR, line);
                    }
                    case AgentProtocol.EXITED ->
                    {
                        final int rank = in.readInt();
                        final long pid = in.readLong();
                        final int code = in.readInt();
                        reported(rank);
                        events.accept(new LaunchEvent.Exited(rank, host, pid, code));
                    }
                    case AgentProtocol.START_FAILED ->
                    {
                        final int rank = in.readInt();
                        final int code = in.readInt();
                        final String message = AgentSpec.readString(in);
                        reported(rank);
                        events.accept(new LaunchEvent.StartFailed(rank, host, code, message));
                    }
                    case AgentProtocol.LOG -> relay.message("host " + host + ": " + AgentSpec.readString(in));
                    case AgentProtocol.DONE -> done = true;
                    default -> throw new IOException("unknown frame type " + type);
                }
            }
        }
        catch (final EOFException e)
        {
            // connection ended; handled below
        }
        catch (final IOException e)
        {
            relay.message("host " + host + ": " + e.getMessage());
        }
        final int code = waitFor(p);
        stderr.join();
        synchronized (lock)
        {
            if (!unreported.isEmpty())
            {
                final String why = stderr.last();
                lost(LaunchException.UNREACHABLE, "lost host " + host + " (ssh exited with code " + code + ") with rank"
                    + (unreported.size() == 1 ? " " : "s ") + unreported + " still running" + (why.isEmpty() ? "" : ": " + why));
            }
        }
    }

    private void reported(final int rank)
    {
        synchronized (lock)
        {
            unreported.remove(rank);
        }
    }

    private void lost(final int code, final String message)
    {
        synchronized (lock)
        {
            unreported.clear();
        }
        events.accept(new LaunchEvent.HostFailed(host, code, message));
    }

    private int waitFor(final Process p)
    {
        try
        {
            if (!p.waitFor(30, TimeUnit.SECONDS))
            {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
            return p.isAlive() ? 255 : p.exitValue();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return 255;
        }
    }

    private void sleepUnlessStopped(final long millis)
    {
        synchronized (lock)
        {
            final long end = System.currentTimeMillis() + millis;
            long left;
            while (!stopped && (left = end - System.currentTimeMillis()) > 0)
            {
                try
                {
                    lock.wait(left);
                }
                catch (final InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void send(final int command)
    {
        synchronized (lock)
        {
            if (agentStdin != null)
            {
                try
                {
                    agentStdin.write(command);
                    agentStdin.flush();
                }
                catch (final IOException ignored)
                {
                    // agent gone: its exit is reported by the reader
                }
            }
        }
    }

    @Override
    public void terminate()
    {
        synchronized (lock)
        {
            stopped = true;
            lock.notifyAll();
        }
        send(AgentProtocol.CMD_TERMINATE);
    }

    @Override
    public void kill()
    {
        synchronized (lock)
        {
            stopped = true;
            lock.notifyAll();
        }
        send(AgentProtocol.CMD_KILL);
    }

    @Override
    public void close(final Duration timeout)
    {
        final Process p;
        synchronized (lock)
        {
            stopped = true;
            lock.notifyAll();
            p = ssh;
            if (p != null)
            {
                try
                {
                    p.getOutputStream().close(); // the agent stops whatever is left when its stdin closes
                }
                catch (final IOException ignored)
                {
                    // already closed
                }
            }
        }
        if (p != null)
        {
            try
            {
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
                {
                    p.destroyForcibly();
                }
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        if (thread != null)
        {
            try
            {
                thread.join(timeout.toMillis());
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Keeps ssh's last stderr line for error messages; once connected, relays stderr as messages. */
    private final class StderrTail
    {
        private final Thread thread;
        private volatile String last = "";
        volatile boolean connected;

        StderrTail(final InputStream err)
        {
            thread = LinePump.start("ssh-" + host + "-stderr", err, line ->
            {
                final String text = new String(line, StandardCharsets.UTF_8).strip();
                if (!text.isEmpty())
                {
                    last = text;
                    if (connected)
                    {
                        relay.message("host " + host + ": " + text);
                    }
                }
            });
        }

        void join()
        {
            try
            {
                thread.join(2000);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        }

        String last()
        {
            return last;
        }
    }
}
