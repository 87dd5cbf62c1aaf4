package dev.jccl.route;

import dev.jccl.Communicator;
import dev.jccl.JcclConfig;
import dev.jccl.algo.AlgorithmSelector;
import dev.jccl.core.HostCommunicator;
import dev.jccl.kernel.Kernels;
import dev.jccl.kernel.ReduceKernels;
import dev.jccl.spi.HostTransport;
import dev.jccl.spi.HostTransportFactory;
import dev.jccl.spi.RankHosts;
import dev.jccl.spi.SubCommunicatorFactory;
import dev.jccl.spi.TransportProvider;
import dev.jccl.store.PrefixStore;
import dev.jccl.store.Store;
import dev.jccl.wire.Handshake;

import java.util.ServiceLoader;
import java.util.stream.IntStream;

/**
 * {@code JCCL_TRANSPORT=auto} for jobs that span hosts with several ranks on some host: shared
 * memory between the ranks of a host, TCP between hosts ({@link RoutedTransport}).
 *
 * <p>Why here: the routing is plain composition of two {@link HostTransport}s and knows nothing
 * of either, so it sits beside {@link HostCommunicator} in the API module, and finds the two
 * transports the way {@code Jccl.init} finds providers, through {@link ServiceLoader}
 * ({@link HostTransportFactory} named "shm" and "tcp"). No transport imports another and this
 * module imports none; a class path without either simply never selects this provider.
 *
 * <p>Priority between shm (20), which declines jobs that span hosts, and tcp (10), which it
 * improves on only when some host has more than one rank. It is chosen under "auto" alone:
 * {@code JCCL_TRANSPORT} still names one transport for every link.
 */
public final class RoutedTransportProvider implements TransportProvider
{
    public static final String NAME = "shm+tcp";
    public static final int PRIORITY = 15;
    static final String HOST_TRANSPORT = "shm";
    static final String NETWORK_TRANSPORT = "tcp";

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public int priority()
    {
        return PRIORITY;
    }

    /** Without knowing where the ranks run it cannot route: only "auto" (which exchanges hosts) picks it. */
    @Override
    public String unavailableReason(final JcclConfig config)
    {
        return "routes by host, so only JCCL_TRANSPORT=auto (which exchanges host names) chooses it";
    }

    @Override
    public String unavailableReason(final JcclConfig config, final RankHosts hosts)
    {
        if (hosts.singleHost())
        {
            return "every rank is on one host";
        }
        if (hosts.hostCount() == hosts.size())
        {
            return "one rank per host: no link to share memory over";
        }
        for (final String name : new String[] {HOST_TRANSPORT, NETWORK_TRANSPORT})
        {
            final HostTransportFactory factory = factory(name);
            if (factory == null)
            {
                return "no '" + name + "' transport on the class path (add dev.jccl:jccl-transport-" + name + ")";
            }
            final String reason = factory.unavailableReason(config);
            if (reason != null)
            {
                return name + ": " + reason;
            }
        }
        return null;
    }

    @Override
    public Communicator create(final JcclConfig config, final Store store, final Handshake handshake, final long communicatorId)
    {
        return create(config, store, handshake, communicatorId, null);
    }

    @Override
    public Communicator create(
        final JcclConfig config, final Store store, final Handshake handshake, final long communicatorId, final RankHosts hosts)
    {
        return create(config, config.rank(), config.worldSize(), store, handshake, communicatorId, hosts);
    }

    /** The world communicator or (split) a subgroup's, whose ranks exchange their hosts anew. */
    private Communicator create(
        final JcclConfig config, final int rank, final int size, final Store store, final Handshake handshake,
        final long communicatorId, final RankHosts known)
    {
        final AlgorithmSelector selector = AlgorithmSelector.fromTuning(config.algo());
        final ReduceKernels kernels = Kernels.select(config.kernels());
        final RankHosts hosts = known != null ? known : RankHosts.exchange(store, rank, size, config.hostName(), config.timeout());
        final HostTransport transport = connect(config, store, handshake, rank, hosts, communicatorId);
        final SubCommunicatorFactory subFactory =
            (subRank, subSize, subId, subStore) -> create(config, subRank, subSize, subStore, handshake, subId, null);
        return new HostCommunicator(transport, kernels, selector, communicatorId, config.timeout(), store, subFactory);
    }

    /**
     * Joins the network transport over every rank (store prefix {@code route/net/}), then the
     * same-host transport over this host's ranks (prefix {@code route/host/<i>/}, i the host's
     * index in order of its lowest rank). The same-host transport gets its own communicator id,
     * so two "hosts" that are one machine (loopback tests) never share a file name.
     *
     * <p>The network transport keeps every rank's number but links only the ranks of other hosts
     * (the one message this rank would send a same-host peer over it never goes there): with
     * {@code h} hosts of {@code k} ranks each, a rank holds {@code (h - 1) * k} connections, not
     * {@code h * k - 1}. A same-host rank that fails is seen by the same-host transport, and a
     * remote failure reaches the ranks not waiting on that rank through the shared-memory relay
     * ({@link RoutedTransport}).
     */
    static RoutedTransport connect(
        final JcclConfig config, final Store store, final Handshake handshake, final int rank, final RankHosts hosts,
        final long communicatorId)
    {
        final String[] names = hosts.toArray();
        final String mine = names[rank];
        final int[] members = IntStream.range(0, names.length).filter(r -> names[r].equals(mine)).toArray();
        final int hostIndex = (int)IntStream.range(0, names.length)
            .filter(r -> IntStream.range(0, r).noneMatch(q -> names[q].equals(names[r])))
            .takeWhile(r -> !names[r].equals(mine)).count();
        final HostTransport network = require(NETWORK_TRANSPORT).connect(
            config, new PrefixStore("route/net", store), handshake, rank, names.length, communicatorId,
            peer -> !names[peer].equals(mine));
        HostTransport host = null;
        try
        {
            host = require(HOST_TRANSPORT).connect(config, new PrefixStore("route/host/" + hostIndex, store), handshake,
                IntStream.range(0, members.length).filter(i -> members[i] == rank).findFirst().orElseThrow(),
                members.length, hostGroupId(communicatorId, hostIndex));
            return new RoutedTransport(rank, names, members, host, network);
        }
        catch (final RuntimeException ex)
        {
            if (host != null)
            {
                host.close();
            }
            network.close();
            throw ex;
        }
    }

    /** A 64-bit mix (SplitMix64's finaliser) of the communicator id and the host's index. */
    static long hostGroupId(final long communicatorId, final int hostIndex)
    {
        long z = communicatorId * 0x9E3779B97F4A7C15L + (hostIndex + 1) * 0xD6E8FEB86659FD93L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static HostTransportFactory factory(final String name)
    {
        for (final HostTransportFactory factory : ServiceLoader.load(HostTransportFactory.class))
        {
            if (factory.name().equals(name))
            {
                return factory;
            }
        }
        return null;
    }

    private static HostTransportFactory require(final String name)
    {
        final HostTransportFactory factory = factory(name);
        if (factory == null)
        {
            throw new dev.jccl.TransportUnavailableException("no '" + name + "' transport on the class path (add dev.jccl:jccl-transport-" + name + ")");
        }
        return factory;
    }
}
