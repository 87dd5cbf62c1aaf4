package dev.jccl.core;

import dev.jccl.Communicator;
import dev.jccl.spi.SubCommunicatorFactory;
import dev.jccl.store.KeyRecordingStore;
import dev.jccl.store.PrefixStore;
import dev.jccl.store.Store;

import java.util.Arrays;

/**
 * MPI_Comm_split over any communicator. Every rank contributes {@code (color, key)} through an
 * allgather on the parent, so all of them see the same table and compute the same groups without
 * further talk: the members of a color, ranked by (key, parent rank). Each group then joins a
 * fresh communicator through its own store namespace, {@code split/<n>/<color>} under the
 * parent's, where {@code n} counts the parent's splits (equal on every rank, as splits are
 * collective). Its id is derived from the parent's id, {@code n} and the color, so every member
 * agrees on it and it differs from the parent's. Once every member has joined (a barrier on the
 * new communicator), each deletes the rendezvous keys it wrote, so repeated splits leave the
 * job's store as they found it (unless the transport keeps using them: {@link
 * SubCommunicatorFactory#usesStoreAfterJoin()}).
 */
public final class CommunicatorSplit
{
    private CommunicatorSplit()
    {
    }

    /**
     * @param splitIndex how many splits the parent ran before this one.
     * @param store      the parent's store (null for a single-rank parent).
     * @return the new communicator, or null for a negative color.
     */
    public static Communicator split(
        final Communicator parent, final int color, final int key, final long splitIndex, final Store store,
        final SubCommunicatorFactory factory)
    {
        final int size = parent.size();
        final long[] mine = { color < 0 ? Communicator.UNDEFINED : color, key };
        final long[] table = new long[2 * size];
        parent.allGather(mine, table);
        if (color < 0)
        {
            return null;
        }
        final long[] members = new long[size];
        int groupSize = 0;
        for (int r = 0; r < size; r++)
        {
            if (table[2 * r] == color)
            {
                // Sort key: the (int) key in the high half, parent rank in the low half.
                members[groupSize++] = (table[2 * r + 1] << 32) | r;
            }
        }
        Arrays.sort(members, 0, groupSize);
        int newRank = -1;
        for (int i = 0; i < groupSize; i++)
        {
            if ((int)members[i] == parent.rank())
            {
                newRank = i;
            }
        }
        final long id = communicatorId(parent.id(), splitIndex, color);
        if (store == null || factory.usesStoreAfterJoin())
        {
            final Store groupStore = store == null ? null : new PrefixStore("split/" + splitIndex + "/" + color, store);
            return factory.create(newRank, groupSize, id, groupStore);
        }
        final KeyRecordingStore groupStore = new KeyRecordingStore(new PrefixStore("split/" + splitIndex + "/" + color, store));
        final Communicator sub = factory.create(newRank, groupSize, id, groupStore);
        try
        {
            // Every member past its rendezvous reads: the keys are no longer needed by anyone.
            sub.barrier();
            groupStore.deleteRecordedKeys();
        }
        catch (final RuntimeException ex)
        {
            sub.close();
            throw ex;
        }
        return sub;
    }

    /** A 64-bit mix (SplitMix64's finaliser) of the parent id, split index and color; never the world's 0. */
    static long communicatorId(final long parentId, final long splitIndex, final int color)
    {
        long z = parentId * 0x9E3779B97F4A7C15L + splitIndex * 0xC2B2AE3D27D4EB4FL + color;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return z == 0 ? 1 : z;
    }
}
