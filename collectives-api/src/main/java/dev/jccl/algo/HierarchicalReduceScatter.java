package dev.jccl.algo;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;

import java.nio.ByteBuffer;

/**
 * Reduce-scatter for jobs that span hosts: reduce inside each host over shared memory (under the
 * routed transport) first, so each block crosses the network already reduced over its host, and
 * only toward the hosts that still need it. Which ranks share a host comes from
 * {@link CollectiveContext#hierarchy()}; without one, or when a hierarchy does not pay
 * ({@link HierarchyPattern#worthwhile()}), it runs the flat ring.
 */
public final class HierarchicalReduceScatter implements ReduceScatterAlgorithm
{
    public static final String NAME = "hier";

    private static final RingReduceScatter RING = new RingReduceScatter();
    private static final RingAllReduce RING_ALL_REDUCE = new RingAllReduce();
    private static final RingReduce RING_REDUCE = new RingReduce();

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public String description()
    {
        return "intra-host ring reduce-scatter into slices, then one inter-host ring reduce-scatter per local rank on its slice";
    }

    /*
     * Narrative. With L ranks on each of H hosts, the vector is read in slice order
     * (HierarchyPattern): slice j is the H blocks that end on local rank j of every host, host by
     * host.
     *
     * Phase 1, inside each host: the pipelined ring reduce-scatter of the L slices over shared
     * memory, so local rank j holds slice j reduced over its host.
     *
     * Phase 2, across hosts: local rank j of every host runs a ring reduce-scatter of slice j. The
     * L rings run at once, each carrying 1/L of the vector, and each one leaves host h's block of
     * the slice, reduced over every host, on host h: the block of the rank it belongs to.
     *
     * Nothing is left to spread inside the hosts: every rank already holds its own block. Every
     * block is reduced in one fixed order (along the host's ring, then along the hosts' ring).
     *
     * Slice order is world order only when ranks were dealt to hosts in turn. Otherwise the
     * phases run on a slice-order copy of the vector in scratch, and the rank's own block is
     * copied back at the end. Each phase waits for its own sends before returning.
     *
     * Hosts with different rank counts have no common slicing: then the hosts' first ranks carry
     * the network part (hostLeaders below).
     */
    @Override
    public void reduceScatter(
        final CollectiveContext ctx, final ByteBuffer buffer, final int offset, final int blockCount,
        final DataType type, final ReduceOp op)
    {
        final HierarchyPattern hierarchy = ctx.hierarchy();
        if (ctx.size() == 1 || blockCount == 0)
        {
            return;
        }
        if (hierarchy == null || !hierarchy.worthwhile())
        {
            RING.reduceScatter(ctx, buffer, offset, blockCount, type, op);
            return;
        }
        if (!hierarchy.uniform())
        {
            hostLeaders(ctx, buffer, offset, blockCount, type, op);
            return;
        }
        final int n = ctx.size();
        final int blockBytes = blockCount * type.size();
        final boolean inPlace = hierarchy.sliceOrderIsWorldOrder();
        final ByteBuffer work = inPlace ? buffer : ctx.scratch(HierarchicalAllGather.ORDER_SLOT, n * blockBytes);
        final int workOffset = inPlace ? offset : 0;
        if (!inPlace)
        {
            HostBlocks.worldToSliceOrder(hierarchy, buffer, offset, work, blockBytes);
        }

        RingReduceScatter.reduceScatterPhase(ctx.localGroup(), work, workOffset, (long)n * blockCount, type, op);

        final int hosts = hierarchy.hostCount();
        final int slice = hierarchy.localIndex(ctx.rank());
        RingReduceScatter.reduceScatterPhase(
            ctx.peerGroup(), work, workOffset + slice * hosts * blockBytes, (long)hosts * blockCount, type, op);

        if (!inPlace)
        {
            HostBlocks.copyBlock(work, 0, hierarchy.slicePosition(ctx.rank()), buffer, offset, ctx.rank(), blockBytes);
        }
    }

    /*
     * Narrative (hosts with different rank counts). Phase 1: a pipelined ring reduce of the whole
     * vector to each host's first rank over shared memory. Phase 2: the first ranks run a ring
     * allreduce of it over the network (hosts' block counts differ, so no balanced reduce-scatter
     * fits them; this sends up to twice what a reduce-scatter would, on the less common layout).
     * Phase 3: each first rank sends every host-mate its own block, and nothing else.
     */
    static void hostLeaders(
        final CollectiveContext ctx, final ByteBuffer buffer, final int offset, final int blockCount,
        final DataType type, final ReduceOp op)
    {
        final HierarchyPattern hierarchy = ctx.hierarchy();
        final CollectiveContext local = ctx.localGroup();
        final int count = ctx.size() * blockCount;
        RING_REDUCE.reduce(local, buffer, offset, count, type, op, 0);
        if (local.rank() == 0)
        {
            RING_ALL_REDUCE.allReduce(ctx.leaderGroup(), buffer, offset, count, type, op);
        }
        HostBlocks.scatterFromFirst(local, hierarchy.local(), buffer, offset, blockCount * type.size());
    }
}
