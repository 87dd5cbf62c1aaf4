package dev.jccl.launcher;

import dev.jccl.launcher.bind.BindTo;
import dev.jccl.launcher.run.RankGroup;
import dev.jccl.launcher.run.RankLaunch;
import dev.jccl.launcher.run.RankListener;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** Ranks on this host, started as jcclrun's own children. */
final class LocalSession implements HostSession
{
    private final String host;
    private final List<RankLaunch> ranks;
    private final RankGroup group;

    LocalSession(
        final String host, final List<RankLaunch> ranks, final List<String> program, final Path cwd, final Path tokenFile,
        final Duration grace, final BindTo bindTo, final boolean reportBindings, final OutputRelay relay,
        final Consumer<LaunchEvent> events)
    {
        this.host = host;
        this.ranks = List.copyOf(ranks);
        this.group = new RankGroup(program, cwd, tokenFile, new RankListener()
        {
            @Override
            public void started(final int rank, final long pid)
            {
                events.accept(new LaunchEvent.Started(rank, host, pid));
            }

            @Override
            public void output(final int rank, final boolean stderr, final byte[] line)
            {
                relay.line(rank, stderr, line);
            }

            @Override
            public void exited(final int rank, final long pid, final int code)
            {
                events.accept(new LaunchEvent.Exited(rank, host, pid, code));
            }

            @Override
            public void startFailed(final int rank, final int code, final String message)
            {
                events.accept(new LaunchEvent.StartFailed(rank, host, code, message));
            }
        }, grace, bindTo, reportBindings);
    }

    @Override
    public String host()
    {
        return host;
    }

    @Override
    public void start()
    {
        group.start(ranks);
    }

    @Override
    public void terminate()
    {
        group.terminate();
    }

    @Override
    public void kill()
    {
        group.kill();
    }

    @Override
    public void close(final Duration timeout)
    {
        if (!group.awaitExit(timeout))
        {
            group.kill();
        }
    }
}
