package dev.jccl.algo;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;

import java.nio.ByteBuffer;

import static dev.jccl.algo.RingPattern.blockCount;
import static dev.jccl.algo.RingPattern.blockStart;

/**
 * Allreduce for jobs that span hosts: reduce inside each host (shared memory under the routed
 * transport), allreduce across hosts (the network), spread inside each host. Which ranks share a
 * host comes from {@link CollectiveContext#hierarchy()}; without one, or when a hierarchy does
 * not pay ({@link HierarchyPattern#worthwhile()}), it runs the flat ring.
 */
public final class HierarchicalAllReduce implements AllReduceAlgorithm
{
    public static final String NAME = "hier";

    private static final RingAllReduce RING = new RingAllReduce();
    private static final RingReduce RING_REDUCE = new RingReduce();
    private static final ChainBroadcast CHAIN = new ChainBroadcast();

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public String description()
    {
        return "intra-host ring reduce-scatter, one inter-host ring per local rank on its slice, intra-host allgather";
    }

    /*
     * Narrative. With L ranks on every host, the vector is cut into L balanced blocks.
     *
     * Phase 1, inside each host: the pipelined ring reduce-scatter over the host's ranks, so local
     * rank j holds block j reduced over its host. Only shared memory is touched.
     *
     * Phase 2, across hosts: local rank j of every host runs a ring allreduce on block j alone. The
     * L rings run at once, each carrying 1/L of the vector, so every rank drives the network with
     * its share instead of one leader carrying everything while its host-mates wait. The ring
     * allreduce leaves the very same bytes on every member, so block j is now final everywhere.
     *
     * Phase 3, inside each host: the ring allgather of the L final blocks, copies only.
     *
     * Every block is reduced in one fixed order, so every rank ends with identical bytes. Each
     * phase waits for its own sends before returning, so the next never writes memory a send of
     * the previous still reads.
     *
     * Hosts with different rank counts have no common slicing: then the leaders carry the
     * network part (hostLeaders below).
     */
    @Override
    public void allReduce(
        final CollectiveContext ctx, final ByteBuffer buffer, final int offset, final int count,
        final DataType type, final ReduceOp op)
    {
        final HierarchyPattern hierarchy = ctx.hierarchy();
        if (ctx.size() == 1 || count == 0)
        {
            return;
        }
        if (hierarchy == null || !hierarchy.worthwhile())
        {
            RING.allReduce(ctx, buffer, offset, count, type, op);
            return;
        }
        if (!hierarchy.uniform())
        {
            hostLeaders(ctx, buffer, offset, count, type, op);
            return;
        }
        final int es = type.size();
        final CollectiveContext local = ctx.localGroup();
        RingReduceScatter.reduceScatterPhase(local, buffer, offset, count, type, op);

        final int slice = local.rank();
        final long sliceCount = blockCount(count, local.size(), slice);
        if (sliceCount > 0)
        {
            final int sliceOffset = offset + (int)(blockStart(count, local.size(), slice) * es);
            RING.allReduce(ctx.peerGroup(), buffer, sliceOffset, (int)sliceCount, type, op);
        }

        RingAllGather.allGatherPhase(ctx.localGroup(), buffer, offset, count, es);
    }

    /*
     * Narrative (hosts with different rank counts). Phase 1: a ring reduce to each host's first
     * rank over shared memory. Phase 2: the first ranks run a ring allreduce over the network.
     * Phase 3: each first rank broadcasts the result to its host along a pipelined chain.
     */
    static void hostLeaders(
        final CollectiveContext ctx, final ByteBuffer buffer, final int offset, final int count,
        final DataType type, final ReduceOp op)
    {
        final HierarchyPattern hierarchy = ctx.hierarchy();
        final boolean leader = hierarchy.localIndex(ctx.rank()) == 0;
        RING_REDUCE.reduce(ctx.localGroup(), buffer, offset, count, type, op, 0);
        if (leader)
        {
            RING.allReduce(ctx.leaderGroup(), buffer, offset, count, type, op);
        }
        CHAIN.broadcast(ctx.localGroup(), buffer, offset, count * type.size(), 0);
    }
}
