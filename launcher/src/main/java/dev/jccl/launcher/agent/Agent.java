package dev.jccl.launcher.agent;

import dev.jccl.launcher.TokenFiles;
import dev.jccl.launcher.run.RankGroup;
import dev.jccl.launcher.run.RankListener;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code jcclrun agent}: runs on a remote host under ssh. Reads its {@link AgentSpec} (token
 * included) from stdin, writes the token to a 0600 file, starts the host's ranks, relays their
 * output and exit statuses as frames on stdout, and stops them (SIGTERM, grace, SIGKILL) when the
 * launcher says so or when stdin closes (launcher died, ssh dropped). A shutdown hook kills the
 * ranks if the agent itself is terminated; where {@code setpriv} exists they also die with it on SIGKILL.
 */
public final class Agent
{
    private Agent()
    {
    }

    /** Entry point used by {@code jcclrun agent}; returns the process exit code. */
    public static int main()
    {
        final OutputStream protocol = new FileOutputStream(FileDescriptor.out);
        System.setOut(System.err); // nothing else may write into the protocol stream
        return run(System.in, protocol, System.err);
    }

    public static int run(final InputStream stdin, final OutputStream stdout, final PrintStream log)
    {
        final FrameWriter frames = new FrameWriter(stdout);
        frames.hello();
        final DataInputStream in = new DataInputStream(new BufferedInputStream(stdin));
        final AgentSpec spec;
        try
        {
            spec = AgentSpec.read(in);
        }
        catch (final IOException e)
        {
            log.println("jcclrun agent: cannot read the job from stdin: " + e.getMessage());
            return 2;
        }
        Path cwd = Path.of(spec.cwd());
        if (!Files.isDirectory(cwd))
        {
            cwd = Path.of(System.getProperty("user.home"));
            frames.log("working directory " + spec.cwd() + " does not exist on this host; using " + cwd);
        }
        final Path runDir = TokenFiles.createRunDirectory(spec.runId());
        final Path tokenFile = TokenFiles.write(runDir, spec.token());
        final CountDownLatch reported = new CountDownLatch(spec.ranks().size());
        final Duration grace = Duration.ofMillis(spec.graceMillis());
        final RankGroup group = new RankGroup(spec.program(), cwd, tokenFile, new RankListener()
        {
            @Override
            public void started(final int rank, final long pid)
            {
                frames.started(rank, pid);
            }

            @Override
            public void output(final int rank, final boolean stderr, final byte[] line)
            {
                frames.output(rank, stderr, line);
            }

            @Override
            public void exited(final int rank, final long pid, final int code)
            {
                frames.exited(rank, pid, code);
                reported.countDown();
            }

            @Override
            public void startFailed(final int rank, final int code, final String message)
            {
                frames.startFailed(rank, code, message);
                reported.countDown();
            }
        }, grace, spec.bindTo(), spec.reportBindings());
        final Thread hook = new Thread(() ->
        {
            group.kill();
            TokenFiles.deleteRunDirectory(runDir);
        }, "jcclrun-agent-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        final Thread commands = new Thread(() ->
        {
            try
            {
                int c;
                while ((c = in.read()) >= 0)
                {
                    if (c == AgentProtocol.CMD_TERMINATE)
                    {
                        group.terminate();
                    }
                    else if (c == AgentProtocol.CMD_KILL)
                    {
                        group.kill();
                    }
                }
            }
            catch (final IOException ignored)
            {
                // same as end of stream
            }
            if (reported.getCount() > 0)
            {
                log.println("jcclrun agent: launcher connection closed; stopping " + reported.getCount() + " rank(s)");
                group.terminate();
            }
        }, "jcclrun-agent-stdin");
        commands.setDaemon(true);
        commands.start();

        group.start(spec.ranks());
        try
        {
            while (!reported.await(200, TimeUnit.MILLISECONDS))
            {
                if (frames.broken() && !group.isStopping())
                {
                    group.terminate(); // launcher's side of the pipe is gone
                }
            }
        }
        catch (final InterruptedException e)
        {
            group.kill();
        }
        frames.done();
        TokenFiles.deleteRunDirectory(runDir);
        try
        {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (final IllegalStateException ignored)
        {
            // already shutting down
        }
        return 0;
    }
}
