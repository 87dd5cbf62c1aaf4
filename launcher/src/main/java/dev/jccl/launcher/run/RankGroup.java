package dev.jccl.launcher.run;

import dev.jccl.launcher.LaunchException;
import dev.jccl.launcher.RankEnvironment;
import dev.jccl.launcher.bind.BindTo;
import dev.jccl.launcher.bind.CpuBinding;
import dev.jccl.launcher.bind.CpuTopology;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The ranks of one job on this host, as child processes: the launcher uses one for local ranks,
 * and {@code jcclrun agent} uses one on each remote host.
 *
 * <ul>
 *   <li>Each rank's stdout and stderr are read by {@link LinePump}s and handed on whole lines;
 *       stdin is {@code /dev/null}.</li>
 *   <li>Stopping sends SIGTERM to each rank and its descendants, then SIGKILL to what is left
 *       after the grace period.</li>
 *   <li>Where util-linux {@code setpriv} is installed, ranks run under
 *       {@code setpriv --pdeathsig KILL}: if this JVM dies even by SIGKILL, the kernel kills
 *       the ranks. All ranks are spawned from one long-lived thread, because the kernel ties the
 *       parent-death signal to the thread that forked.</li>
 *   <li>Ranks are bound to CPUs as {@link BindTo} says, by starting them under util-linux
 *       {@code taskset -c}; without {@code taskset} they run unbound (and {@code --report-bindings}
 *       says so).</li>
 * </ul>
 */
public final class RankGroup
{
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    private static final Path TASKSET = Path.of("/usr/bin/taskset");
    private static final ExecutorService SPAWNER = Executors.newSingleThreadExecutor(r ->
    {
        final Thread t = new Thread(r, "jccl-rank-spawner");
        t.setDaemon(true);
        return t;
    });
    private static volatile Boolean pdeathsig;

    private final List<String> program;
    private final Path cwd;
    private final Path tokenFile;
    private final RankListener listener;
    private final Duration grace;
    private final BindTo bindTo;
    private final boolean reportBindings;
    private final Map<Integer, Process> live = new ConcurrentHashMap<>();
    private final List<Thread> waiters = new ArrayList<>();
    private volatile boolean stopping;

    /**
     * @param bindTo         how to bind the ranks to this host's CPUs.
     * @param reportBindings print each rank's binding on its stderr as it starts.
     */
    public RankGroup(
        final List<String> program, final Path cwd, final Path tokenFile, final RankListener listener, final Duration grace,
        final BindTo bindTo, final boolean reportBindings)
    {
        this.program = List.copyOf(program);
        this.cwd = cwd;
        this.tokenFile = tokenFile;
        this.listener = listener;
        this.grace = grace;
        this.bindTo = bindTo;
        this.reportBindings = reportBindings;
    }

    /** Starts the ranks (in order) and returns once each has started or failed to. */
    public void start(final List<RankLaunch> ranks)
    {
        try
        {
            final CpuTopology topology = bindTo == BindTo.NONE ? null : CpuTopology.ofThisProcess();
            SPAWNER.submit(() ->
            {
                for (int i = 0; i < ranks.size(); i++)
                {
                    final RankLaunch r = ranks.get(i);
                    if (stopping)
                    {
                        listener.startFailed(r.rank(), 143, "not started: the job is stopping");
                        continue;
                    }
                    spawn(r, binding(topology, r, i, ranks.size()));
                }
            }).get();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        catch (final ExecutionException e)
        {
            throw new IllegalStateException("spawning ranks failed", e.getCause());
        }
    }

    /** Local rank and local size from the rank's own variables (what the program sees), else its place in the list. */
    private CpuBinding binding(final CpuTopology topology, final RankLaunch r, final int index, final int count)
    {
        final int localRanks = intVar(r, RankEnvironment.LOCAL_WORLD_SIZE, count);
        final int localRank = intVar(r, RankEnvironment.LOCAL_RANK, index);
        final CpuBinding binding = CpuBinding.of(bindTo, topology, localRank < localRanks ? localRank : index,
            localRank < localRanks ? localRanks : count);
        if (binding.bound() && !Files.isExecutable(TASKSET))
        {
            return new CpuBinding(List.of(), "not bound (" + TASKSET + " not found; install util-linux)");
        }
        return binding;
    }

    private static int intVar(final RankLaunch r, final String name, final int fallback)
    {
        try
        {
            final String v = r.env().get(name);
            return v == null ? fallback : Integer.parseInt(v);
        }
        catch (final NumberFormatException e)
        {
            return fallback;
        }
    }

    private void spawn(final RankLaunch r, final CpuBinding binding)
    {
        final ProcessBuilder pb = new ProcessBuilder();
        final Map<String, String> env = pb.environment();
        env.putAll(r.env());
        if (tokenFile != null)
        {
            env.put(RankEnvironment.TOKEN_FILE, tokenFile.toString());
        }
        final Path exe;
        try
        {
            exe = ProgramLocator.locate(program.get(0), env.get("PATH"), cwd);
        }
        catch (final LaunchException e)
        {
            listener.startFailed(r.rank(), e.exitCode(), e.getMessage());
            return;
        }
        final List<String> command = new ArrayList<>();
        if (usePdeathsig())
        {
            command.addAll(List.of(SETPRIV.toString(), "--pdeathsig", "KILL", "--"));
        }
        if (binding.bound())
        {
            command.addAll(List.of(TASKSET.toString(), "-c", binding.cpuList()));
        }
        command.add(exe.toString());
        command.addAll(program.subList(1, program.size()));
        pb.command(command).directory(cwd.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        final Process p;
        try
        {
            p = pb.start();
        }
        catch (final Exception e)
        {
            listener.startFailed(r.rank(), LaunchException.NOT_EXECUTABLE, "cannot start '" + program.get(0) + "': " + e.getMessage());
            return;
        }
        live.put(r.rank(), p);
        listener.started(r.rank(), p.pid());
        if (reportBindings)
        {
            listener.output(r.rank(), true, ("jcclrun: rank " + r.rank() + " (pid " + p.pid() + ") " + binding.description())
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        final Thread out = LinePump.start("rank-" + r.rank() + "-stdout", p.getInputStream(), line -> listener.output(r.rank(), false, line));
        final Thread err = LinePump.start("rank-" + r.rank() + "-stderr", p.getErrorStream(), line -> listener.output(r.rank(), true, line));
        final Thread waiter = new Thread(() ->
        {
            int code;
            while (true)
            {
                try
                {
                    code = p.waitFor();
                    break;
                }
                catch (final InterruptedException e)
                {
                    // keep waiting: the exit must be reported
                }
            }
            // A descendant that outlives the rank may hold the pipes open: wait a little, not forever.
            joinQuietly(out, 2000);
            joinQuietly(err, 2000);
            live.remove(r.rank());
            listener.exited(r.rank(), p.pid(), code);
        }, "rank-" + r.rank() + "-waiter");
        waiter.setDaemon(true);
        synchronized (waiters)
        {
            waiters.add(waiter);
        }
        waiter.start();
    }

    /** SIGTERM to every rank and its descendants now, SIGKILL to whatever is left after the grace period. */
    public void terminate()
    {
        stopping = true;
        final List<ProcessHandle> targets = snapshot();
        targets.forEach(ProcessHandle::destroy);
        if (targets.isEmpty())
        {
            return;
        }
        final Thread killer = new Thread(() ->
        {
            final long deadline = System.nanoTime() + grace.toNanos();
            while (!live.isEmpty() && System.nanoTime() < deadline)
            {
                sleep(20);
            }
            final List<ProcessHandle> left = new ArrayList<>(snapshot());
            targets.stream().filter(ProcessHandle::isAlive).forEach(left::add);
            killParentsFirst(left);
        }, "rank-killer");
        killer.setDaemon(true);
        killer.start();
    }

    /** SIGKILL to every rank and its descendants now. */
    public void kill()
    {
        stopping = true;
        killParentsFirst(snapshot());
    }

    /**
     * SIGKILL to the ranks themselves before their descendants (whose handles were taken while the
     * tree was intact): a rank whose child dies first could otherwise run on for a moment, print
     * or spawn more, before its own kill lands.
     */
    private void killParentsFirst(final List<ProcessHandle> handles)
    {
        final java.util.Set<Long> ranks = new java.util.HashSet<>();
        for (final Process p : live.values())
        {
            ranks.add(p.pid());
        }
        handles.stream().filter(h -> ranks.contains(h.pid())).forEach(ProcessHandle::destroyForcibly);
        handles.stream().filter(h -> !ranks.contains(h.pid())).forEach(ProcessHandle::destroyForcibly);
    }

    /** Waits until every started rank's exit has been reported. */
    public boolean awaitExit(final Duration timeout)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        final List<Thread> copy;
        synchronized (waiters)
        {
            copy = new ArrayList<>(waiters);
        }
        for (final Thread t : copy)
        {
            final long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0 || !joinQuietly(t, left))
            {
                return false;
            }
        }
        return true;
    }

    public boolean isStopping()
    {
        return stopping;
    }

    /** Descendants first, so a parent that is stopped cannot be replaced by an orphan we missed. */
    private List<ProcessHandle> snapshot()
    {
        final List<ProcessHandle> all = new ArrayList<>();
        for (final Process p : live.values())
        {
            try (Stream<ProcessHandle> d = p.descendants())
            {
                d.forEach(all::add);
            }
            all.add(p.toHandle());
        }
        return all;
    }

    private static boolean usePdeathsig()
    {
        Boolean use = pdeathsig;
        if (use == null)
        {
            use = false;
            if (Files.isExecutable(SETPRIV) && !"0".equals(System.getenv("JCCL_PDEATHSIG")))
            {
                try
                {
                    final Process probe = new ProcessBuilder(SETPRIV.toString(), "--pdeathsig", "KILL", "--", "true")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                    use = probe.waitFor(5, TimeUnit.SECONDS) && probe.exitValue() == 0;
                    probe.destroyForcibly();
                }
                catch (final Exception ignored)
                {
                    use = false;
                }
            }
            pdeathsig = use;
        }
        return use;
    }

    private static boolean joinQuietly(final Thread t, final long millis)
    {
        try
        {
            t.join(Math.max(1, millis));
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        return !t.isAlive();
    }

    private static void sleep(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }
}
