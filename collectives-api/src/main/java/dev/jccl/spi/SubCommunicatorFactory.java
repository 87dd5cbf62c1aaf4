package dev.jccl.spi;

import dev.jccl.Communicator;
import dev.jccl.store.Store;

/**
 * How a communicator builds the communicators {@link Communicator#split} returns: the same
 * transport and settings for a subgroup, joined through its own rendezvous. A transport hands one
 * to its communicators; it is {@link TransportProvider#create} with the rank and size replaced.
 */
@FunctionalInterface
public interface SubCommunicatorFactory
{
    /**
     * @param rank           this rank within the subgroup.
     * @param size           ranks in the subgroup.
     * @param communicatorId the new communicator's id, the same on every member.
     * @param store          namespaced for the new communicator alone (null for a single rank).
     */
    Communicator create(int rank, int size, long communicatorId, Store store);

    /**
     * Whether the communicators built here keep using their store after joining (NCCL's peer
     * monitor keeps heartbeats and aborts there). When false, as for the host transports, whose
     * store serves only the rendezvous, the split deletes the keys each member wrote once every
     * member has joined.
     */
    default boolean usesStoreAfterJoin()
    {
        return false;
    }
}
