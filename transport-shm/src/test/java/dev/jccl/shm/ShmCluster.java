package dev.jccl.shm;

import dev.jccl.JcclConfig;
import dev.jccl.tcp.ThreadedCluster;

import java.util.function.UnaryOperator;

/** transport-tcp's {@link ThreadedCluster} (ranks as threads, store on loopback) over shared memory. */
final class ShmCluster
{
    private ShmCluster()
    {
    }

    static ThreadedCluster start(final int size)
    {
        return start(size, UnaryOperator.identity());
    }

    /** {@code customise} runs after the transport is set, so a test may still ask for "auto". */
    static ThreadedCluster start(final int size, final UnaryOperator<JcclConfig> customise)
    {
        return ThreadedCluster.start(size, c -> customise.apply(c.transport("shm")));
    }
}
