package dev.jccl.bench;

import dev.jccl.Communicator;
import dev.jccl.Jccl;
import dev.jccl.JcclConfig;
import dev.jccl.algo.Algorithm;
import dev.jccl.algo.AlgorithmRegistry;
import dev.jccl.env.EnvironmentContract;
import dev.jccl.env.JobToken;
import dev.jccl.nccl.NcclCommunicator;
import dev.jccl.nccl.NcclProbe;
import dev.jccl.tcp.store.TcpStoreServer;
import dev.jccl.wire.CollectiveKind;
import dev.jccl.wire.Handshake;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Communicators from JCCL itself. Threaded (-t N): a bootstrap store on a free loopback port, then
 * per rank {@code Jccl.init(config)} with rank, world size, store, a fresh run id and job token.
 * Otherwise {@code Jccl.init} over the environment contract (jcclrun, torchrun, Open MPI, PMI).
 * {@code --algo} and {@code --transport} go into the config ({@code JCCL_ALGO}, {@code JCCL_TRANSPORT}).
 * An NCCL communicator gets CUDA device memory for its buffers, on the device it runs on.
 */
public final class JcclCommFactory implements CommFactory
{
    private static final AtomicInteger RUNS = new AtomicInteger();

    @Override
    public ThreadedJob threaded(
        final int nranks, final PerfOptions options, final PerfColl coll, final PerfOptions.Variant variant, final int variantIndex)
    {
        final String tuning = tuning(coll, variant);
        final String runId = "jccl-perf-" + ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet();
        final byte[] token = JobToken.generate();
        // the job's bootstrap store, on a free loopback port chosen by the kernel
        final TcpStoreServer store = nranks > 1 ? new TcpStoreServer("127.0.0.1", 0, new Handshake(token, runId)) : null;
        return new ThreadedJob()
        {
            @Override
            public Communicator join(final int rank)
            {
                final JcclConfig config = new JcclConfig()
                    .rank(rank).worldSize(nranks).localRank(rank).localWorldSize(nranks)
                    .runId(runId).token(token).source("jccl-perf -t " + nranks);
                if (store != null)
                {
                    config.store("127.0.0.1", store.port());
                }
                apply(config, options, variant, tuning);
                return Jccl.init(config);
            }

            @Override
            public void close()
            {
                if (store != null)
                {
                    store.close();
                }
            }
        };
    }

    @Override
    public Communicator process(final PerfOptions options, final PerfColl coll, final PerfOptions.Variant variant, final int variantIndex)
    {
        final String tuning = tuning(coll, variant);
        final JcclConfig config = EnvironmentContract.fromSystemEnvironment();
        // Every variant is a new world communicator in the same run: Jccl.init gives each its own
        // store generation (the run id must stay: the launcher's store checks it).
        apply(config, options, variant, tuning);
        return Jccl.init(config);
    }

    @Override
    public Map<String, List<Algorithm>> algorithms()
    {
        final Map<String, List<Algorithm>> out = new LinkedHashMap<>();
        AlgorithmRegistry.builtIn().all().forEach((kind, algos) -> out.put(AlgorithmRegistry.kindName(kind), algos));
        return out;
    }

    @Override
    public String unavailableReason(final String transport)
    {
        if (!NcclCommunicator.NAME.equals(transport))
        {
            return null;
        }
        // never throws; loads the CUDA bindings only where the driver is there
        return NcclProbe.result().reason();
    }

    @Override
    public DeviceMemory deviceMemory(final Communicator comm)
    {
        // the transport name first: a host communicator never loads an NCCL or CUDA class here
        if (!NcclCommunicator.NAME.equals(comm.transportName()))
        {
            return null;
        }
        if (!(comm instanceof NcclCommunicator))
        {
            throw new IllegalStateException("an NCCL communicator of an unknown class (" + comm.getClass().getName() +
                "): cannot tell its CUDA device");
        }
        return new CudaDeviceMemory(((NcclCommunicator)comm).device());
    }

    private static void apply(final JcclConfig config, final PerfOptions options, final PerfOptions.Variant variant, final String tuning)
    {
        if (variant.transport() != null && !"auto".equals(variant.transport()))
        {
            config.transport(variant.transport());
        }
        if (tuning != null)
        {
            config.algo(tuning);
        }
        if (options.timeoutSeconds() > 0)
        {
            config.timeout(Duration.ofSeconds(options.timeoutSeconds()));
        }
    }

    /**
     * The JCCL_ALGO string for a variant: a plain name applies to the collective measured
     * ("ring" for all_reduce is "allreduce:ring"); a string with ':' is a full tuning string.
     *
     * @throws UsageException when the name is no algorithm of that collective.
     */
    static String tuning(final PerfColl coll, final PerfOptions.Variant variant)
    {
        final String algo = variant.algo();
        if (algo == null || algo.equals("auto"))
        {
            return null;
        }
        if (algo.contains(":"))
        {
            return algo;
        }
        final CollectiveKind kind = AlgorithmRegistry.parseKind(coll.algoKey());
        if (AlgorithmRegistry.builtIn().find(kind, algo) == null)
        {
            throw new UsageException("--algo " + algo + ": no such " + coll.algoKey() + " algorithm (valid: " +
                String.join(", ", AlgorithmRegistry.builtIn().names(kind)) + ")");
        }
        return coll.algoKey() + ":" + algo;
    }
}
