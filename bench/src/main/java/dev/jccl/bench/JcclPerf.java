package dev.jccl.bench;

import dev.jccl.Communicator;
import dev.jccl.TransportUnavailableException;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code jccl-perf}: nccl-tests for JCCL. One subcommand per collective, nccl-tests' flags and
 * table. Exit status: 0 all values right, 1 a wrong value, 2 a bad command line, 3 a failure
 * (a rank died, a timeout, no transport).
 */
public final class JcclPerf
{
    public static final int EXIT_OK = 0;
    public static final int EXIT_WRONG = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_FAILURE = 3;

    private JcclPerf()
    {
    }

    public static void main(final String[] args)
    {
        System.exit(run(args, System.out, System.err, new JcclCommFactory()));
    }

    public static int run(final String[] args, final PrintStream out, final PrintStream err, final CommFactory factory)
    {
        final PerfOptions o;
        try
        {
            o = PerfOptions.parse(args);
        }
        catch (final UsageException ex)
        {
            err.println("jccl-perf: " + ex.getMessage());
            err.println(PerfUsage.TEXT);
            return EXIT_USAGE;
        }
        if (o.help())
        {
            out.println(PerfUsage.TEXT);
            return EXIT_OK;
        }
        if (o.listAlgos())
        {
            AlgoList.print(factory.algorithms(), out);
            if (o.collective() == null)
            {
                return EXIT_OK;
            }
        }
        final PerfColl coll = PerfColls.byName(o.collective());
        for (final PerfOptions.Variant variant : o.variants())
        {
            // a transport that cannot run here fails before any communicator, in one line (nccl: the probe's reason)
            final String reason = variant.transport() == null ? null : factory.unavailableReason(variant.transport());
            if (reason != null)
            {
                err.println("jccl-perf: --transport " + variant.transport() + " cannot run here: " + reason);
                return EXIT_FAILURE;
            }
        }
        final List<PerfReport> reports = new ArrayList<>();
        boolean rankZero = true;
        final List<PerfOptions.Variant> variants = o.variants();
        for (int i = 0; i < variants.size(); i++)
        {
            final PerfOptions.Variant variant = variants.get(i);
            try
            {
                if (o.threads() > 0)
                {
                    final int n = o.threads();
                    try (CommFactory.ThreadedJob job = factory.threaded(n, o, coll, variant, i))
                    {
                        final List<PerfReport> all = ThreadedRanks.run(n, job::join,
                            comm -> new PerfDriver(o, coll, variant, n, comm.rank() == 0 ? out : null, factory::deviceMemory).run(comm));
                        reports.add(all.get(0));
                    }
                }
                else
                {
                    try (Communicator comm = factory.process(o, coll, variant, i))
                    {
                        rankZero = comm.rank() == 0;
                        reports.add(new PerfDriver(o, coll, variant, 1, rankZero ? out : null, factory::deviceMemory).run(comm));
                    }
                }
            }
            catch (final RuntimeException ex)
            {
                final Throwable cause = ex instanceof ThreadedRanks.PerfFailure && ex.getCause() != null ? ex.getCause() : ex;
                if (cause instanceof UsageException || cause instanceof IllegalArgumentException && isConfigProblem(cause))
                {
                    err.println("jccl-perf: " + cause.getMessage());
                    return EXIT_USAGE;
                }
                if (cause instanceof TransportUnavailableException)
                {
                    // e.g. JCCL_TRANSPORT=nccl from the environment where there is no GPU: the reason is the message
                    err.println("jccl-perf: " + cause.getMessage());
                    return EXIT_FAILURE;
                }
                err.println("jccl-perf: " + coll.name() + " (" + variant.label() + ") failed: " + describe(ex));
                if (System.getenv("JCCL_PERF_DEBUG") != null)
                {
                    ex.printStackTrace(err);
                }
                return EXIT_FAILURE;
            }
        }
        out.flush();
        if (rankZero && !writeFiles(o, args, reports, err))
        {
            return EXIT_FAILURE;
        }
        return reports.stream().allMatch(PerfReport::ok) ? EXIT_OK : EXIT_WRONG;
    }

    private static boolean isConfigProblem(final Throwable ex)
    {
        final String m = String.valueOf(ex.getMessage());
        return m.contains("JCCL_") || m.contains("algorithm");
    }

    private static String describe(final Throwable ex)
    {
        final StringBuilder sb = new StringBuilder(ex.toString());
        Throwable c = ex.getCause();
        while (c != null && c != c.getCause())
        {
            sb.append("; caused by ").append(c);
            c = c.getCause();
        }
        return sb.toString();
    }

    private static boolean writeFiles(final PerfOptions o, final String[] args, final List<PerfReport> reports, final PrintStream err)
    {
        try
        {
            if (o.json() != null)
            {
                ResultFiles.write(o.json(), ResultFiles.json(o, Arrays.asList(args), reports));
            }
            if (o.csv() != null)
            {
                ResultFiles.write(o.csv(), ResultFiles.csv(reports));
            }
            if (o.plot() != null)
            {
                PerfPlot.write(o.plot(), reports, 1000, 800);
            }
            return true;
        }
        catch (final IOException | RuntimeException ex)
        {
            err.println("jccl-perf: cannot write results: " + ex);
            return false;
        }
    }
}
