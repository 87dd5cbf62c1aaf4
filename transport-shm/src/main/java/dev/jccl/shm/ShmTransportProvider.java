package dev.jccl.shm;

import dev.jccl.Communicator;
import dev.jccl.JcclConfig;
import dev.jccl.algo.AlgorithmSelector;
import dev.jccl.core.HostCommunicator;
import dev.jccl.kernel.Kernels;
import dev.jccl.kernel.ReduceKernels;
import dev.jccl.spi.HostTransportFactory;
import dev.jccl.spi.RankHosts;
import dev.jccl.spi.SubCommunicatorFactory;
import dev.jccl.spi.TransportProvider;
import dev.jccl.store.Store;
import dev.jccl.wire.Handshake;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The same-host shared-memory transport, found by {@code Jccl.init} through
 * {@link java.util.ServiceLoader}. Preferred over TCP under {@code JCCL_TRANSPORT=auto} when every
 * rank published the same host name; declines jobs that span hosts.
 *
 * <p>Tuning (system properties, or the environment variables in brackets):
 * {@code jccl.shm.dir} [{@code JCCL_SHM_DIR}], default {@code /dev/shm};
 * {@code jccl.shm.ringBytes} [{@code JCCL_SHM_RING_BYTES}], the ring per ordered pair of ranks,
 * a power of two (default: 4 MiB, less for large worlds so the file stays near 64 MiB).
 */
public final class ShmTransportProvider implements TransportProvider, HostTransportFactory
{
    public static final String NAME = "shm";
    /** Above TCP (10), below NCCL (100). */
    public static final int PRIORITY = 20;
    static final int DEFAULT_RING_BYTES = 4 * 1024 * 1024;
    private static final long FILE_BUDGET = 64L * 1024 * 1024;

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

    @Override
    public String unavailableReason(final JcclConfig config)
    {
        final Path directory = directory();
        if (!Files.isDirectory(directory) || !Files.isWritable(directory))
        {
            return directory + " is not a writable directory";
        }
        return null;
    }

    @Override
    public String unavailableReason(final JcclConfig config, final RankHosts hosts)
    {
        if (!hosts.singleHost())
        {
            return "ranks span " + hosts.hostCount() + " hosts";
        }
        return unavailableReason(config);
    }

    @Override
    public Communicator create(final JcclConfig config, final Store store, final Handshake handshake, final long communicatorId)
    {
        return create(config, config.rank(), config.worldSize(), store, handshake, communicatorId);
    }

    /**
     * The world communicator, or (split) a subgroup's: {@code rank} and {@code size} replace the
     * config's, and the subgroup gets a file of its own (named by its communicator id).
     */
    private Communicator create(
        final JcclConfig config, final int rank, final int size, final Store store, final Handshake handshake, final long communicatorId)
    {
        // Validate the tuning and kernels before any file exists: a typo fails on this rank at once.
        final AlgorithmSelector selector = AlgorithmSelector.fromTuning(config.algo());
        final ReduceKernels kernels = Kernels.select(config.kernels());
        final int capacity = ringCapacity(size);
        final ShmPointToPoint transport = ShmRendezvous.connect(
            store, handshake, rank, size, config.hostName(), communicatorId, directory(), capacity, config.timeout(), kernels);
        transport.watchPeers(config.heartbeatTimeout());
        // Every rank of the job on this host competes for its cores, also those outside a split.
        transport.waitFor(Math.max(1, config.localWorldSize()));
        final SubCommunicatorFactory subFactory =
            (subRank, subSize, subId, subStore) -> create(config, subRank, subSize, subStore, handshake, subId);
        return new HostCommunicator(transport, kernels, selector, communicatorId, config.timeout(), store, subFactory);
    }

    /** A bare transport over a group of ranks on this host, for {@link HostTransportFactory}. */
    @Override
    public dev.jccl.spi.HostTransport connect(
        final JcclConfig config, final Store store, final Handshake handshake, final int rank, final int size, final long communicatorId)
    {
        final ShmPointToPoint transport = ShmRendezvous.connect(store, handshake, rank, size, config.hostName(), communicatorId,
            directory(), ringCapacity(size), config.timeout(), Kernels.select(config.kernels()));
        transport.watchPeers(config.heartbeatTimeout());
        return transport;
    }

    static Path directory()
    {
        return Path.of(setting("jccl.shm.dir", "JCCL_SHM_DIR", "/dev/shm"));
    }

    /** The ring per ordered pair: the configured size, or 4 MiB shrunk so the file stays within budget. */
    static int ringCapacity(final int worldSize)
    {
        final String configured = setting("jccl.shm.ringBytes", "JCCL_SHM_RING_BYTES", null);
        if (configured != null)
        {
            final long bytes;
            try
            {
                bytes = Long.parseLong(configured.trim());
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("jccl.shm.ringBytes (JCCL_SHM_RING_BYTES) must be a number of bytes, got '" + configured + "'");
            }
            if (bytes < ShmLayoutDescriptor.MIN_RING_CAPACITY || bytes > ShmLayoutDescriptor.MAX_RING_CAPACITY || Long.bitCount(bytes) != 1)
            {
                throw new IllegalArgumentException("jccl.shm.ringBytes (JCCL_SHM_RING_BYTES) must be a power of two between " +
                    ShmLayoutDescriptor.MIN_RING_CAPACITY + " and " + ShmLayoutDescriptor.MAX_RING_CAPACITY + ", got " + bytes);
            }
            return (int)bytes;
        }
        final long pairs = Math.max(1L, (long)worldSize * (worldSize - 1));
        final long fit = Long.highestOneBit(Math.max(1, FILE_BUDGET / pairs));
        return (int)Math.max(ShmLayoutDescriptor.MIN_RING_CAPACITY * 4L, Math.min(DEFAULT_RING_BYTES, fit));
    }

    private static String setting(final String property, final String env, final String fallback)
    {
        final String value = System.getProperty(property);
        if (value != null && !value.isBlank())
        {
            return value;
        }
        final String fromEnv = System.getenv(env);
        return fromEnv != null && !fromEnv.isBlank() ? fromEnv : fallback;
    }
}
