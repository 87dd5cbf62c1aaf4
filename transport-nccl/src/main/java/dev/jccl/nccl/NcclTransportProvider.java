package dev.jccl.nccl;

import dev.jccl.Communicator;
import dev.jccl.JcclConfig;
import dev.jccl.TransportUnavailableException;
import dev.jccl.spi.TransportProvider;
import dev.jccl.store.Store;
import dev.jccl.wire.Handshake;

/**
 * The NCCL transport, found by {@code Jccl.init} through {@link java.util.ServiceLoader}. Ranks
 * above TCP under {@code JCCL_TRANSPORT=auto}, so a machine with the NVIDIA driver, a CUDA device
 * and NCCL uses it; elsewhere {@link #unavailableReason} says which piece is missing (without
 * letting a linkage error out) and auto falls back to TCP.
 */
public final class NcclTransportProvider implements TransportProvider
{
    public static final String NAME = NcclCommunicator.NAME;
    /** Above TCP (10) and shared memory. */
    public static final int PRIORITY = 100;

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
        try
        {
            return NcclProbe.result().reason();
        }
        catch (final Throwable ex)
        {
            return "the NCCL probe failed (" + ex + ")";
        }
    }

    @Override
    public Communicator create(final JcclConfig config, final Store store, final Handshake handshake, final long communicatorId)
    {
        final NcclProbe.Result probe = NcclProbe.result();
        if (!probe.available())
        {
            throw new TransportUnavailableException("the NCCL transport cannot run here: " + probe.reason());
        }
        return NcclCommunicator.create(config, store, communicatorId, probe);
    }
}
