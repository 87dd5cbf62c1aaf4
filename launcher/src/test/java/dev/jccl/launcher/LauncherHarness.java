package dev.jccl.launcher;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/** Runs {@link Launcher} in this JVM with captured output and a clean environment (no default hostfiles). */
final class LauncherHarness
{
    record Result(int code, String out, String err, long millis)
    {
        @Override
        public String toString()
        {
            return "exit " + code + " after " + millis + " ms\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private LauncherHarness()
    {
    }

    static Map<String, String> cleanEnv()
    {
        final Map<String, String> env = new HashMap<>(System.getenv());
        env.remove("OMPI_MCA_orte_default_hostfile");
        env.remove("PRTE_MCA_prte_default_hostfile");
        env.remove("OMPI_MCA_plm_rsh_agent");
        env.remove("OMPI_MCA_plm_rsh_args");
        return env;
    }

    static Result run(final Path dir, final String... args)
    {
        return run(dir, cleanEnv(), l -> { }, args);
    }

    static Result run(final Path dir, final Map<String, String> env, final Consumer<Launcher> whileRunning, final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final long start = System.nanoTime();
        int code;
        try
        {
            final Launcher launcher = new Launcher(CommandLine.parse(args), env, out, err, dir.resolve("no-system-hostfile"), dir);
            whileRunning.accept(launcher);
            code = launcher.run();
        }
        catch (final LaunchException e)
        {
            code = e.exitCode();
            err.writeBytes(("jcclrun: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        final long millis = (System.nanoTime() - start) / 1_000_000;
        synchronized (out)
        {
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), millis);
        }
    }
}
