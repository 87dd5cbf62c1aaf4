package dev.jccl.launcher;

import dev.jccl.launcher.agent.AgentSpec;
import dev.jccl.launcher.agent.RemoteSession;
import dev.jccl.launcher.agent.RshCommand;
import dev.jccl.launcher.plan.HostPlan;
import dev.jccl.launcher.plan.RankSlot;
import dev.jccl.launcher.run.RankLaunch;

import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs one job: plans the hosts, hosts the store, writes the token, starts a {@link HostSession}
 * per host, and then watches. The first rank to fail (non-zero exit, signal, cannot start) or a
 * lost host stops the job: every other rank gets SIGTERM, then SIGKILL after the grace period;
 * one line names the rank, host, pid and code; the exit code is that rank's. {@code --timeout}
 * gives 124, a forwarded SIGINT/SIGTERM 130/143, once the ranks are gone.
 */
public final class Launcher
{
    /** Extra time after the grace period for ranks to be reported gone before jcclrun gives up on them. */
    static final Duration REPORT_SLACK = Duration.ofSeconds(10);

    private final LaunchConfig config;
    private final Map<String, String> env;
    private final Path systemHostfile;
    private final Path cwd;
    private final OutputRelay relay;
    private final LinkedBlockingQueue<LaunchEvent> events = new LinkedBlockingQueue<>();

    public Launcher(final LaunchConfig config, final Map<String, String> env, final OutputStream out, final OutputStream err)
    {
        this(config, env, out, err, HostPlan.SYSTEM_HOSTFILE, Path.of("").toAbsolutePath());
    }

    public Launcher(
        final LaunchConfig config, final Map<String, String> env, final OutputStream out, final OutputStream err,
        final Path systemHostfile, final Path cwd)
    {
        this.config = config;
        this.env = Map.copyOf(env);
        this.systemHostfile = systemHostfile;
        this.cwd = cwd;
        this.relay = new OutputRelay(out, err, config.tagOutput());
    }

    /** Called from a signal handler: stop the job and exit 128+signal once the ranks are gone. */
    public void signal(final int signal)
    {
        events.add(new LaunchEvent.Signalled(signal));
    }

    /** Runs the job to the end; never throws for a failed job, returns jcclrun's exit code. */
    public int run()
    {
        final List<HostSession> sessions = new ArrayList<>();
        StoreHost store = null;
        Path runDir = null;
        try
        {
            final HostPlan plan = HostPlan.resolve(config, env, Runtime.getRuntime().availableProcessors(), systemHostfile);
            log("hosts from " + plan.source() + ": " + plan.worldSize() + " ranks on " + plan.ranksByHost().keySet());
            final Map<String, String> exports = RankEnvironment.exports(config.exports(), env, relay::message);
            final String runId = TokenFiles.runId();
            final byte[] token = TokenFiles.generate();

            final LocalHosts localHosts = new LocalHosts();
            final Map<String, List<RankSlot>> byHost = plan.ranksByHost();
            final Map<String, Boolean> local = new HashMap<>();
            String firstRemote = null;
            for (final String host : byHost.keySet())
            {
                final boolean isLocal = localHosts.isLocal(host);
                local.put(host, isLocal);
                if (!isLocal && firstRemote == null)
                {
                    firstRemote = host;
                }
            }
            final String masterAddr = config.masterAddr() != null ? config.masterAddr()
                : firstRemote == null ? "127.0.0.1" : routeAddress(firstRemote);
            store = StoreHost.start(firstRemote == null ? "127.0.0.1" : "0.0.0.0", token, runId);
            log("run " + runId + ", store " + masterAddr + ":" + store.port());

            final RshCommand rsh = firstRemote == null ? null : RshCommand.resolve(config.rsh(), env);
            for (final Map.Entry<String, List<RankSlot>> e : byHost.entrySet())
            {
                final List<RankLaunch> launches = new ArrayList<>();
                for (final RankSlot slot : e.getValue())
                {
                    launches.add(new RankLaunch(slot.rank(), byHost.size() > 1
                        ? RankEnvironment.ofHostOfMany(slot, plan.worldSize(), masterAddr, store.port(), runId, exports)
                        : RankEnvironment.of(slot, plan.worldSize(), masterAddr, store.port(), runId, exports)));
                }
                if (local.get(e.getKey()))
                {
                    if (runDir == null)
                    {
                        runDir = TokenFiles.createRunDirectory(runId);
                    }
                    sessions.add(new LocalSession(e.getKey(), launches, config.program(), cwd, TokenFiles.write(runDir, token),
                        config.gracePeriod(), config.bindTo(), config.reportBindings(), relay, events::add));
                }
                else
                {
                    final AgentSpec spec = new AgentSpec(runId, token, cwd.toString(), config.program(),
                        config.gracePeriod().toMillis(), config.bindTo(), config.reportBindings(), launches);
                    sessions.add(new RemoteSession(e.getKey(), spec, rsh, agentCommand(), config.rshRetryTime(),
                        relay, events::add, this::log));
                }
            }
            return monitor(plan, sessions);
        }
        catch (final LaunchException e)
        {
            relay.message(e.getMessage());
            return e.exitCode();
        }
        finally
        {
            for (final HostSession s : sessions)
            {
                s.close(Duration.ofSeconds(5));
            }
            if (store != null)
            {
                store.close();
            }
            TokenFiles.deleteRunDirectory(runDir);
        }
    }

    private int monitor(final HostPlan plan, final List<HostSession> sessions)
    {
        final Set<Integer> pending = new TreeSet<>();
        final Map<Integer, String> hostOf = new HashMap<>();
        for (final RankSlot slot : plan.ranks())
        {
            pending.add(slot.rank());
            hostOf.put(slot.rank(), slot.host());
        }
        final Map<Integer, Long> pids = new HashMap<>();
        final long startNanos = System.nanoTime();
        final long timeoutAt = config.timeout() == null ? Long.MAX_VALUE : startNanos + config.timeout().toNanos();
        long stopAt = Long.MAX_VALUE;    // when stopping began
        boolean killed = false;
        boolean interrupted = false;
        int exitCode = 0;

        for (final HostSession s : sessions)
        {
            s.start();
        }
        while (!pending.isEmpty())
        {
            final long now = System.nanoTime();
            if (stopAt == Long.MAX_VALUE && now >= timeoutAt)
            {
                relay.message("timeout after " + seconds(config.timeout()) + " s; stopping " + pending.size() + " running rank"
                    + (pending.size() == 1 ? "" : "s"));
                exitCode = 124;
                stopAt = now;
                stopAll(sessions);
            }
            if (stopAt != Long.MAX_VALUE)
            {
                final long since = now - stopAt;
                if (!killed && since > config.gracePeriod().toNanos() + TimeUnit.SECONDS.toNanos(2))
                {
                    killed = true;
                    sessions.forEach(HostSession::kill);
                }
                if (since > config.gracePeriod().toNanos() + REPORT_SLACK.toNanos())
                {
                    relay.message("giving up on rank" + (pending.size() == 1 ? " " : "s ") + pending + ": no exit reported");
                    break;
                }
            }
            final long wait = Math.min(timeoutAt == Long.MAX_VALUE ? Long.MAX_VALUE : timeoutAt - now,
                stopAt == Long.MAX_VALUE ? TimeUnit.SECONDS.toNanos(1) : TimeUnit.MILLISECONDS.toNanos(200));
            final LaunchEvent event;
            try
            {
                event = events.poll(Math.max(1, Math.min(wait, TimeUnit.SECONDS.toNanos(1))), TimeUnit.NANOSECONDS);
            }
            catch (final InterruptedException e)
            {
                // Treated as SIGINT. The flag is restored when run() returns: set now, it would make
                // every later poll throw and the loop could never see the ranks' exits.
                interrupted = true;
                signal(2);
                continue;
            }
            if (event == null)
            {
                continue;
            }
            final boolean stopping = stopAt != Long.MAX_VALUE;
            if (event instanceof LaunchEvent.Started started)
            {
                pids.put(started.rank(), started.pid());
                log("rank " + started.rank() + " started on " + started.host() + " as pid " + started.pid());
            }
            else if (event instanceof LaunchEvent.Exited exited)
            {
                pending.remove(exited.rank());
                log("rank " + exited.rank() + " " + ExitStatus.describe(exited.code()));
                if (exited.code() != 0 && !stopping)
                {
                    relay.message("rank " + exited.rank() + " (host " + exited.host() + ", pid " + exited.pid() + ") "
                        + ExitStatus.describe(exited.code()));
                    exitCode = exited.code();
                    stopAt = System.nanoTime();
                    stopAll(sessions);
                }
            }
            else if (event instanceof LaunchEvent.StartFailed failed)
            {
                pending.remove(failed.rank());
                if (!stopping)
                {
                    relay.message("rank " + failed.rank() + " (host " + failed.host() + ") could not start: " + failed.message());
                    exitCode = failed.code();
                    stopAt = System.nanoTime();
                    stopAll(sessions);
                }
            }
            else if (event instanceof LaunchEvent.HostFailed lost)
            {
                final Set<Integer> gone = new HashSet<>();
                for (final Integer r : pending)
                {
                    if (hostOf.get(r).equals(lost.host()))
                    {
                        gone.add(r);
                    }
                }
                pending.removeAll(gone);
                if (!stopping)
                {
                    relay.message(lost.message());
                    exitCode = lost.code();
                    stopAt = System.nanoTime();
                    stopAll(sessions);
                }
            }
            else if (event instanceof LaunchEvent.Signalled signalled)
            {
                if (!stopping)
                {
                    relay.message("received " + ExitStatus.signalName(signalled.signal()) + "; stopping " + pending.size()
                        + " running rank" + (pending.size() == 1 ? "" : "s"));
                    exitCode = 128 + signalled.signal();
                    stopAt = System.nanoTime();
                    stopAll(sessions);
                }
                else if (!killed)
                {
                    relay.message("received " + ExitStatus.signalName(signalled.signal()) + " again; killing the ranks");
                    killed = true;
                    sessions.forEach(HostSession::kill);
                }
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
        return exitCode;
    }

    private void stopAll(final List<HostSession> sessions)
    {
        for (final HostSession s : sessions)
        {
            s.terminate();
        }
    }

    private String agentCommand()
    {
        if (config.launchAgent() != null)
        {
            return config.launchAgent();
        }
        final String self = env.get("JCCLRUN_SELF");
        return self != null ? RshCommand.quote(self) : "jcclrun";
    }

    /** The local address a packet to {@code host} would leave from: the address that host can reach us at. */
    static String routeAddress(final String host)
    {
        try (DatagramSocket probe = new DatagramSocket())
        {
            probe.connect(InetAddress.getByName(host), 9);
            final InetAddress local = probe.getLocalAddress();
            if (local != null && !local.isAnyLocalAddress())
            {
                return local.getHostAddress();
            }
        }
        catch (final Exception ignored)
        {
            // not resolvable yet: fall back to our own name's address
        }
        try
        {
            return InetAddress.getLocalHost().getHostAddress();
        }
        catch (final Exception e)
        {
            return "127.0.0.1";
        }
    }

    private static String seconds(final Duration d)
    {
        final double s = d.toNanos() / 1e9;
        return s == Math.rint(s) ? Long.toString((long)s) : Double.toString(s);
    }

    void log(final String message)
    {
        if (config.verbose())
        {
            relay.message(message);
        }
    }
}
