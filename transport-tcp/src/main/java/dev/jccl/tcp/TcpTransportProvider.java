package dev.jccl.tcp;

import dev.jccl.Communicator;
import dev.jccl.JcclConfig;
import dev.jccl.algo.AlgorithmSelector;
import dev.jccl.algo.DefaultRules;
import dev.jccl.core.HostCommunicator;
import dev.jccl.env.NetworkEnvironment;
import dev.jccl.kernel.Kernels;
import dev.jccl.kernel.ReduceKernels;
import dev.jccl.spi.HostTransportFactory;
import dev.jccl.spi.SubCommunicatorFactory;
import dev.jccl.spi.TransportProvider;
import dev.jccl.store.Store;
import dev.jccl.wire.Handshake;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.function.IntPredicate;

/**
 * The pure-Java TCP transport: a full mesh of authenticated NIO connections (under the routed
 * transport, only between hosts: {@link TcpLinks}), found by
 * {@code Jccl.init} through {@link java.util.ServiceLoader}. Always available, so it is the
 * fallback under {@code JCCL_TRANSPORT=auto}.
 */
public final class TcpTransportProvider implements TransportProvider, HostTransportFactory
{
    public static final String NAME = "tcp";

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public int priority()
    {
        return 10;
    }

    @Override
    public String unavailableReason(final JcclConfig config)
    {
        return null;
    }

    @Override
    public Communicator create(final JcclConfig config, final Store store, final Handshake handshake, final long communicatorId)
    {
        return create(config, config.rank(), config.worldSize(), store, handshake, communicatorId);
    }

    /** A bare transport over a group (rank of size), liveness watching started: {@link HostTransportFactory}. */
    @Override
    public TcpPointToPoint connect(
        final JcclConfig config, final Store store, final Handshake handshake, final int rank, final int size, final long communicatorId)
    {
        return connect(config, store, handshake, TcpLinks.allPeers(rank, size));
    }

    /**
     * Connects only the peers {@code linked} accepts (the routed transport: ranks of other hosts);
     * a send or receive to any other fails with {@link IllegalStateException} naming it.
     */
    @Override
    public TcpPointToPoint connect(
        final JcclConfig config, final Store store, final Handshake handshake, final int rank, final int size,
        final long communicatorId, final IntPredicate linked)
    {
        return connect(config, store, handshake, TcpLinks.of(rank, size, linked));
    }

    private static TcpPointToPoint connect(final JcclConfig config, final Store store, final Handshake handshake, final TcpLinks links)
    {
        TcpCongestion.configured(); // a bad -Djccl.tcp.congestion fails here, before any socket
        final String hostName = config.hostName();
        final TcpPointToPoint transport;
        if (links.size() == 1)
        {
            transport = TcpRendezvous.connect(null, handshake, 0, 1, null, null, hostName, config.timeout());
        }
        else
        {
            final InetAddress publish = NetworkEnvironment.publishAddress(config.socketIfname(), config.storeHost());
            transport = TcpRendezvous.connect(
                store, handshake, links, publish.getHostAddress(), new InetSocketAddress(publish, 0), hostName, config.timeout());
        }
        transport.watchLinks(config.heartbeatTimeout());
        transport.waitFor(Math.max(1, config.localWorldSize()));
        return transport;
    }

    /** The world communicator, or (split) a subgroup's: {@code rank} and {@code size} replace the config's. */
    private Communicator create(
        final JcclConfig config, final int rank, final int size, final Store store, final Handshake handshake, final long communicatorId)
    {
        // Validate the tuning and kernels before any socket exists: a typo fails on this rank at once.
        // TCP's own switch points, measured per world size; JCCL_ALGO goes in front of them.
        final AlgorithmSelector selector = AlgorithmSelector.fromTuning(DefaultRules.TCP, config.algo());
        final ReduceKernels kernels = Kernels.select(config.kernels());
        final TcpPointToPoint transport = connect(config, store, handshake, rank, size, communicatorId);
        final SubCommunicatorFactory subFactory =
            (subRank, subSize, subId, subStore) -> create(config, subRank, subSize, subStore, handshake, subId);
        return new HostCommunicator(transport, kernels, selector, communicatorId, config.timeout(), store, subFactory);
    }
}
