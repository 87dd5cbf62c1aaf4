package dev.jccl.algo;

import org.agrona.BufferUtil;
import org.agrona.UnsafeApi;

import java.nio.ByteBuffer;

/**
 * Whole rank blocks (the unit of allgather and reduce-scatter) moved for the hierarchical
 * algorithms: between world order and the orders of {@link HierarchyPattern}, and between a
 * host's first rank and its host-mates. Block {@code r} of a world-order vector is
 * {@code blockBytes} at {@code offset + r * blockBytes}.
 */
final class HostBlocks
{
    private HostBlocks()
    {
    }

    /** Copies block {@code rank} of world-order {@code src} to {@code position} of {@code dst}. */
    static void copyBlock(
        final ByteBuffer src, final int srcOffset, final int rank, final ByteBuffer dst, final int dstOffset,
        final int position, final int blockBytes)
    {
        copy(src, srcOffset + rank * blockBytes, dst, dstOffset + position * blockBytes, blockBytes);
    }

    /** Every block of world-order {@code world} into slice order in {@code sliced}. */
    static void worldToSliceOrder(
        final HierarchyPattern hierarchy, final ByteBuffer world, final int worldOffset, final ByteBuffer sliced,
        final int blockBytes)
    {
        for (int position = 0, n = hierarchy.size(); position < n; position++)
        {
            copyBlock(world, worldOffset, hierarchy.rankAtSlicePosition(position), sliced, 0, position, blockBytes);
        }
    }

    /** Every block of slice-order {@code sliced} back into world order in {@code world}. */
    static void sliceToWorldOrder(
        final HierarchyPattern hierarchy, final ByteBuffer sliced, final ByteBuffer world, final int worldOffset,
        final int blockBytes)
    {
        for (int position = 0, n = hierarchy.size(); position < n; position++)
        {
            copy(sliced, position * blockBytes, world, worldOffset + hierarchy.rankAtSlicePosition(position) * blockBytes, blockBytes);
        }
    }

    /** The blocks of {@code host}'s ranks from world-order {@code world} to their host-order places in {@code ordered}. */
    static void toHostOrder(
        final HierarchyPattern hierarchy, final int host, final ByteBuffer world, final int worldOffset, final ByteBuffer ordered,
        final int blockBytes)
    {
        for (int position = hierarchy.hostPosition(host), end = position + hierarchy.ranksOnHost(host); position < end; position++)
        {
            copyBlock(world, worldOffset, hierarchy.rankAtHostPosition(position), ordered, 0, position, blockBytes);
        }
    }

    /** Every block of host-order {@code ordered} back into world order in {@code world}. */
    static void hostToWorldOrder(
        final HierarchyPattern hierarchy, final ByteBuffer ordered, final ByteBuffer world, final int worldOffset,
        final int blockBytes)
    {
        for (int position = 0, n = hierarchy.size(); position < n; position++)
        {
            copy(ordered, position * blockBytes, world, worldOffset + hierarchy.rankAtHostPosition(position) * blockBytes, blockBytes);
        }
    }

    /**
     * Phase "gather to the first rank" inside this rank's host ({@code local}, whose index
     * {@code i} is world rank {@code localRanks[i]}): every host-mate sends its own block, in
     * segments of {@code local.segmentBytes()}, straight to its world-order place on the first
     * rank. Over shared memory a direct send moves each block once, where a ring would forward it.
     * Returns with every message posted here complete.
     */
    static void gatherToFirst(
        final CollectiveContext local, final int[] localRanks, final ByteBuffer buffer, final int offset, final int blockBytes)
    {
        betweenFirstAndMates(local, localRanks, buffer, offset, blockBytes, false);
    }

    /**
     * Phase "scatter from the first rank" inside this rank's host: the first rank sends every
     * host-mate its block (world-order place on both sides). The reverse of {@link #gatherToFirst}.
     */
    static void scatterFromFirst(
        final CollectiveContext local, final int[] localRanks, final ByteBuffer buffer, final int offset, final int blockBytes)
    {
        betweenFirstAndMates(local, localRanks, buffer, offset, blockBytes, true);
    }

    private static void betweenFirstAndMates(
        final CollectiveContext local, final int[] localRanks, final ByteBuffer buffer, final int offset, final int blockBytes,
        final boolean firstSends)
    {
        if (blockBytes == 0 || localRanks.length == 1)
        {
            return;
        }
        final int me = local.rank();
        if (me != 0)
        {
            local.p2p().await(postBlock(local, 0, buffer, offset, localRanks[me], blockBytes, !firstSends));
            return;
        }
        // Operations to one peer complete in order, so each host-mate's last segment covers the rest.
        final long[] last = local.tickets(localRanks.length);
        for (int i = 1; i < localRanks.length; i++)
        {
            last[i] = postBlock(local, i, buffer, offset, localRanks[i], blockBytes, firstSends);
        }
        for (int i = 1; i < localRanks.length; i++)
        {
            local.p2p().await(last[i]);
        }
    }

    /**
     * Posts the segments of world rank {@code rank}'s block to ({@code outgoing}) or from group
     * index {@code peer}; the chunk offset is the block's byte offset in the world-order vector.
     *
     * @return the ticket of the last segment (operations to one peer complete in order).
     */
    private static long postBlock(
        final CollectiveContext ctx, final int peer, final ByteBuffer buffer, final int offset, final int rank,
        final int blockBytes, final boolean outgoing)
    {
        final int seg = ctx.segmentBytes();
        final int start = rank * blockBytes;
        long last = 0;
        for (int at = 0; at < blockBytes; at += seg)
        {
            final int length = Math.min(seg, blockBytes - at);
            last = outgoing
                ? Messages.send(ctx, peer, buffer, offset + start + at, start + at, length)
                : Messages.recv(ctx, peer, buffer, offset + start + at, start + at, length);
        }
        return last;
    }

    private static void copy(final ByteBuffer src, final int srcOffset, final ByteBuffer dst, final int dstOffset, final int bytes)
    {
        if (bytes > 0 && (src != dst || srcOffset != dstOffset))
        {
            UnsafeApi.copyMemory(BufferUtil.address(src) + srcOffset, BufferUtil.address(dst) + dstOffset, bytes);
        }
    }
}
