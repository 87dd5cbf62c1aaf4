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
}
