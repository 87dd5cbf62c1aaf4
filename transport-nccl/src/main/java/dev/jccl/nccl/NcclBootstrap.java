package dev.jccl.nccl;

import dev.jccl.env.NetworkEnvironment;
import dev.jccl.store.Store;
import org.bytedeco.cuda.global.nccl;
import org.bytedeco.cuda.nccl.ncclUniqueId;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The steps before {@code ncclCommInitRank}: a fresh unique id (rank 0; {@link UniqueIdExchange}
 * carries it), and a bounded rendezvous of every rank in the store, because NCCL's own init blocks
 * without bound on a rank that never comes.
 */
final class NcclBootstrap
{
    static final String READY_KEY = "nccl/ready/";

    private NcclBootstrap()
    {
    }

    /** ncclGetUniqueId as its 128 bytes. */
    static byte[] newUniqueId()
    {
        try (ncclUniqueId id = new ncclUniqueId())
        {
            Cuda.checkNccl(nccl.ncclGetUniqueId(id), "ncclGetUniqueId", null);
            final byte[] bytes = new byte[UniqueIdExchange.UNIQUE_ID_BYTES];
            for (int i = 0; i < bytes.length; i++)
            {
                bytes[i] = id.internal(i);
            }
            return bytes;
        }
    }

    /**
     * Publishes this rank's host name as its ready mark, waits (bounded by {@code timeout}) for every
     * rank's, and returns the host of the next rank, the one the peer monitor watches.
     */
    static String awaitAllRanks(final Store store, final int rank, final int size, final Duration timeout)
    {
        store.set(READY_KEY + rank, NetworkEnvironment.hostName().getBytes(StandardCharsets.UTF_8));
        final List<String> keys = new ArrayList<>(size);
        for (int r = 0; r < size; r++)
        {
            keys.add(READY_KEY + r);
        }
        store.waitFor(keys, timeout);
        return new String(store.get(READY_KEY + (rank + 1) % size), StandardCharsets.UTF_8);
    }
}
