package dev.jccl.launcher;

import dev.jccl.launcher.agent.Agent;
import sun.misc.Signal;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.util.Arrays;

/**
 * {@code jcclrun} (see {@code bin/jcclrun}): {@code jcclrun [flags] -- program args} launches a
 * job; {@code jcclrun agent} is what the launcher runs on remote hosts over ssh.
 *
 * <p>SIGINT, SIGTERM and SIGHUP are caught with {@code sun.misc.Signal} (module jdk.unsupported,
 * no flags needed) and forwarded: the ranks get SIGTERM, then SIGKILL after the grace period, and
 * jcclrun exits 128+signal once they are gone. A second signal kills the ranks at once.
 */
public final class Jcclrun
{
    private Jcclrun()
    {
    }

    public static void main(final String[] args)
    {
        if (args.length > 0 && args[0].equals("agent"))
        {
            java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
            System.exit(Agent.main());
        }
        final FileOutputStream out = new FileOutputStream(FileDescriptor.out);
        final FileOutputStream err = new FileOutputStream(FileDescriptor.err);
        final LaunchConfig config;
        try
        {
            config = CommandLine.parse(args);
        }
        catch (final CommandLine.HelpRequested help)
        {
            System.out.print(help.text());
            System.out.flush();
            System.exit(0);
            return;
        }
        catch (final LaunchException e)
        {
            System.err.println("jcclrun: " + e.getMessage());
            System.exit(e.exitCode());
            return;
        }
        if (!config.verbose())
        {
            // The store server logs at INFO through java.util.logging; jcclrun's stderr is for the job.
            java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        }
        final Launcher launcher = new Launcher(config, System.getenv(), out, err);
        for (final String name : Arrays.asList("INT", "TERM", "HUP"))
        {
            try
            {
                Signal.handle(new Signal(name), s -> launcher.signal(s.getNumber()));
            }
            catch (final IllegalArgumentException ignored)
            {
                // signal not available here (for example SIGINT when started in the background by some shells)
            }
        }
        System.exit(launcher.run());
    }
}
