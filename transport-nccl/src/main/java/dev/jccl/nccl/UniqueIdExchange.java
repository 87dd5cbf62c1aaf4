package dev.jccl.nccl;

import dev.jccl.CollectiveException;
import dev.jccl.store.Store;

import java.time.Duration;
import java.util.List;

/**
 * Carries NCCL's 128-byte {@code ncclUniqueId} from rank 0 to every rank through the bootstrap
 * store, as PyTorch's ProcessGroupNCCL does. The store handed in is already namespaced for one
 * communicator (Jccl passes {@code jccl/<run>/comm/<id>}), so ids of different communicators
 * never meet. Pure Java: the bytes come from and go to NCCL elsewhere, so this runs without CUDA.
 */
public final class UniqueIdExchange
{
    /** {@code NCCL_UNIQUE_ID_BYTES}. */
    public static final int UNIQUE_ID_BYTES = 128;
    /** Key of the id within the communicator's store. */
    public static final String KEY = "nccl/uid";

    private UniqueIdExchange()
    {
    }

    /** Rank 0: publishes the id. */
    public static void publish(final Store store, final byte[] uniqueId)
    {
        check(uniqueId, "to publish");
        store.set(KEY, uniqueId.clone());
    }

    /**
     * Every other rank: waits (bounded by {@code timeout}) for rank 0's id and returns it.
     *
     * @throws dev.jccl.CollectiveTimeoutException naming the key when rank 0 never published.
     * @throws CollectiveException                 when the stored value is not 128 bytes.
     */
    public static byte[] await(final Store store, final Duration timeout)
    {
        store.waitFor(List.of(KEY), timeout);
        final byte[] id = store.get(KEY);
        check(id, "received");
        return id;
    }

    /** Rank 0 publishes {@code uniqueIdOnRank0} (generated only there); every rank returns the id. */
    public static byte[] exchange(final Store store, final int rank, final java.util.function.Supplier<byte[]> uniqueIdOnRank0,
        final Duration timeout)
    {
        if (rank == 0)
        {
            final byte[] id = uniqueIdOnRank0.get();
            publish(store, id);
            return id;
        }
        return await(store, timeout);
    }

    private static void check(final byte[] id, final String what)
    {
        if (id == null || id.length != UNIQUE_ID_BYTES)
        {
            throw new CollectiveException("NCCL unique id " + what + " has " + (id == null ? "no" : Integer.toString(id.length)) +
                " bytes, expected " + UNIQUE_ID_BYTES + " (store key " + KEY + ")");
        }
    }
}
