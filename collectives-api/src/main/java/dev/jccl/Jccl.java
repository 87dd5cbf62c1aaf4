package dev.jccl;

import dev.jccl.env.EnvironmentContract;
import dev.jccl.env.JobToken;
import dev.jccl.spi.RankHosts;
import dev.jccl.spi.TransportProvider;
import dev.jccl.store.PrefixStore;
import dev.jccl.store.Store;
import dev.jccl.store.StoreFactory;
import dev.jccl.wire.Handshake;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.ServiceLoader;

/**
 * Entry point: builds the world communicator from the environment (DESIGN.md's contract) or an
 * explicit {@link JcclConfig}. Transports and the store are found on the class path through
 * {@link ServiceLoader}, so this module imports none of them.
 */
public final class Jccl
{
    private static final ConcurrentHashMap<String, AtomicInteger> GENERATIONS = new ConcurrentHashMap<>();
    private static final System.Logger LOG = System.getLogger(Jccl.class.getName());
    /** The JVM option Agrona 2.x needs; every JCCL process must be started with it. */
    public static final String REQUIRED_JVM_OPTION = "--add-exports java.base/jdk.internal.misc=ALL-UNNAMED";
    /** Communicator id of the world communicator. */
    public static final long WORLD_ID = 0;

    private Jccl()
    {
    }

    /** The world communicator described by the environment (JCCL_*, torchrun, Open MPI, PMI, or a single rank). */
    public static Communicator init()
    {
        checkJvmOptions();
        return init(EnvironmentContract.fromSystemEnvironment());
    }

    /** The world communicator described by {@code config}. */
    public static Communicator init(final JcclConfig config)
    {
        checkJvmOptions();
        config.conclude();
        LOG.log(System.Logger.Level.DEBUG, "joining with {0}", config);
        final Handshake handshake = new Handshake(JobToken.resolve(config), config.runId());
        Store store = null;
        if (config.worldSize() > 1)
        {
            store = new PrefixStore(worldNamespace(config), storeFactory().connect(config, handshake), true);
        }
        try
        {
            final RankHosts hosts = "auto".equals(config.transport()) ? exchangeHosts(config, store) : null;
            final TransportProvider provider = chooseTransport(config, hosts);
            return provider.create(config, store, handshake, WORLD_ID, hosts);
        }
        catch (final RuntimeException ex)
        {
            if (store != null)
            {
                store.close();
            }
            throw ex;
        }
    }

    /**
     * The store namespace of this rank's next world communicator. A process may build several in
     * one run (after a failure, or one per benchmark variant): the n-th init of a rank (n > 0) gets
     * its own generation, so it never reads the addresses its predecessor published. Every rank
     * counts its own inits, which agree as long as every rank calls init the same number of times
     * (MPI's rule for collective calls). Keyed by rank too, so ranks as threads of one JVM count apart.
     */
    static String worldNamespace(final JcclConfig config)
    {
        final int generation = GENERATIONS.computeIfAbsent(config.runId() + "#" + config.rank(), k -> new AtomicInteger()).getAndIncrement();
        return "jccl/" + config.runId() + "/comm/" + WORLD_ID + (generation == 0 ? "" : "/gen" + generation);
    }

    /**
     * Where every rank runs, for {@code JCCL_TRANSPORT=auto}: each rank publishes its host name in
     * the store and reads everyone's, so every rank decides from the same data.
     */
    static RankHosts exchangeHosts(final JcclConfig config, final Store store)
    {
        return RankHosts.exchange(store, config.rank(), config.worldSize(), config.hostName(), config.timeout());
    }

    /** Picks the transport JCCL_TRANSPORT names, or under "auto" the best available one. */
    static TransportProvider chooseTransport(final JcclConfig config)
    {
        return chooseTransport(config, null);
    }

    /**
     * Picks the transport JCCL_TRANSPORT names, or under "auto" the best available one for a job
     * on {@code hosts} (null: judge by the configuration alone).
     */
    static TransportProvider chooseTransport(final JcclConfig config, final RankHosts hosts)
    {
        final List<TransportProvider> providers = new ArrayList<>();
        ServiceLoader.load(TransportProvider.class).forEach(providers::add);
        final String wanted = config.transport();
        if (!"auto".equals(wanted))
        {
            for (final TransportProvider provider : providers)
            {
                if (provider.name().equals(wanted))
                {
                    final String reason = provider.unavailableReason(config);
                    if (reason != null)
                    {
                        throw new TransportUnavailableException("JCCL_TRANSPORT=" + wanted + " cannot run here: " + reason);
                    }
                    return provider;
                }
            }
            throw new TransportUnavailableException("JCCL_TRANSPORT=" + wanted + ": no such transport on the class path " +
                "(add dev.jccl:jccl-transport-" + wanted + ")");
        }
        TransportProvider best = null;
        final StringBuilder skipped = new StringBuilder();
        for (final TransportProvider provider : providers)
        {
            final String reason = hosts == null ? provider.unavailableReason(config) : provider.unavailableReason(config, hosts);
            if (reason != null)
            {
                skipped.append(skipped.length() == 0 ? "" : "; ").append(provider.name()).append(": ").append(reason);
            }
            else if (best == null || provider.priority() > best.priority())
            {
                best = provider;
            }
        }
        if (best == null)
        {
            throw new TransportUnavailableException("no usable transport on the class path (add dev.jccl:jccl-transport-tcp)" +
                (skipped.length() > 0 ? ": " + skipped : ""));
        }
        if (skipped.length() > 0)
        {
            LOG.log(System.Logger.Level.INFO, "JCCL_TRANSPORT=auto chose {0}; skipped {1}", best.name(), skipped);
        }
        return best;
    }

    private static StoreFactory storeFactory()
    {
        for (final StoreFactory factory : ServiceLoader.load(StoreFactory.class))
        {
            return factory;
        }
        throw new TransportUnavailableException("no bootstrap store implementation on the class path (add dev.jccl:jccl-transport-tcp)");
    }

    /**
     * Fails with a clear message, instead of an IllegalAccessError deep inside Agrona, when the
     * JVM was started without {@link #REQUIRED_JVM_OPTION}.
     */
    public static void checkJvmOptions()
    {
        if (!Jccl.class.getModule().isNamed() && !Object.class.getModule().isExported("jdk.internal.misc", Jccl.class.getModule()))
        {
            throw new IllegalStateException("JCCL needs the JVM option '" + REQUIRED_JVM_OPTION +
                "' (Agrona uses jdk.internal.misc.Unsafe); add it to the java command line or JDK_JAVA_OPTIONS");
        }
    }
}
