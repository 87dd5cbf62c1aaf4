package dev.jccl.algo;

import java.nio.ByteBuffer;

/**
 * Allgather for jobs that span hosts: every block crosses the network once per host it is
 * needed on, along the ring of its owner's local index, and is spread inside each host over
 * shared memory (under the routed transport). Which ranks share a host comes from
 * {@link CollectiveContext#hierarchy()}; without one, or when a hierarchy does not pay
 * ({@link HierarchyPattern#worthwhile()}), it runs the flat ring.
 */
public final class HierarchicalAllGather implements AllGatherAlgorithm
{
    public static final String NAME = "hier";

    /** Scratch slot of the reordered vector (slot 0 belongs to the ring phases, 2 and 3 to the communicator). */
    static final int ORDER_SLOT = 1;

    private static final RingAllGather RING = new RingAllGather();
    private static final ChainBroadcast CHAIN = new ChainBroadcast();

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public String description()
    {
        return "one inter-host ring per local rank on its slice of blocks, then intra-host ring allgather of the slices";
    }

    /*
     * Narrative. With L ranks on each of H hosts, the vector is read in slice order
     * (HierarchyPattern): slice j is the H blocks of local rank j of every host, host by host.
     *
     * Gather inside each host: nothing to do. The ring across hosts below carries slice j, and
     * local rank j already holds the one block of slice j its host contributes: its own.
     *
     * Phase 1, across hosts: local rank j of every host runs a ring allgather of slice j. The L
     * rings run at once, each carrying 1/L of the vector, so every rank drives the network with
     * its own share and each block crosses to every other host exactly once.
     *
     * Phase 2, inside each host: the ring allgather of the L slices over shared memory, copies
     * only, so every rank ends with the very bytes each block's owner had.
     *
     * Slice order is world order only when ranks were dealt to hosts in turn. Otherwise the
     * phases run on a slice-order copy in scratch (own block in, every block out at the end): one
     * memory copy of the vector, against rings that would otherwise send many small strided
     * pieces. Each phase waits for its own sends, so the next never overwrites memory a send of
     * the previous still reads.
     *
     * Hosts with different rank counts have no common slicing: then the hosts' first ranks carry
     * the network part (hostLeaders below).
     */
    @Override
    public void allGather(final CollectiveContext ctx, final ByteBuffer buffer, final int offset, final int blockLength)
    {
        final HierarchyPattern hierarchy = ctx.hierarchy();
        if (ctx.size() == 1 || blockLength == 0)
        {
            return;
        }
        if (hierarchy == null || !hierarchy.worthwhile())
        {
            RING.allGather(ctx, buffer, offset, blockLength);
            return;
        }
        if (!hierarchy.uniform())
        {
            hostLeaders(ctx, buffer, offset, blockLength);
            return;
        }
        final int n = ctx.size();
        final int hosts = hierarchy.hostCount();
        final boolean inPlace = hierarchy.sliceOrderIsWorldOrder();
        final ByteBuffer work = inPlace ? buffer : ctx.scratch(ORDER_SLOT, n * blockLength);
        final int workOffset = inPlace ? offset : 0;
        if (!inPlace)
        {
            HostBlocks.copyBlock(buffer, offset, ctx.rank(), work, 0, hierarchy.slicePosition(ctx.rank()), blockLength);
        }

        final int slice = hierarchy.localIndex(ctx.rank());
        final int sliceBytes = hosts * blockLength;
        RingAllGather.allGatherPhase(ctx.peerGroup(), work, workOffset + slice * sliceBytes, sliceBytes, 1);

        RingAllGather.allGatherPhase(ctx.localGroup(), work, workOffset, (long)n * blockLength, 1);

        if (!inPlace)
        {
            HostBlocks.sliceToWorldOrder(hierarchy, work, buffer, offset, blockLength);
        }
    }

    /*
     * Narrative (hosts with different rank counts). Phase 1, inside each host: every host-mate
     * sends its block straight to its place on the host's first rank. Phase 2, across the first
     * ranks: each one in turn broadcasts its host's blocks (adjacent in host order) along a
     * pipelined chain, so every host's blocks cross the network once per link. Phase 3, inside
     * each host: the first rank broadcasts the whole vector along a pipelined chain.
     *
     * Host order is world order when every host holds consecutive ranks; otherwise phase 2 runs
     * on a host-order copy in scratch, filled from and emptied into the caller's buffer on the
     * first ranks only.
     */
    static void hostLeaders(final CollectiveContext ctx, final ByteBuffer buffer, final int offset, final int blockLength)
    {
        final HierarchyPattern hierarchy = ctx.hierarchy();
        final CollectiveContext local = ctx.localGroup();
        final int n = ctx.size();
        HostBlocks.gatherToFirst(local, hierarchy.local(), buffer, offset, blockLength);

        if (local.rank() == 0)
        {
            final boolean inPlace = hierarchy.hostOrderIsWorldOrder();
            final ByteBuffer work = inPlace ? buffer : ctx.scratch(ORDER_SLOT, n * blockLength);
            final int workOffset = inPlace ? offset : 0;
            final int myHost = hierarchy.hostOf(ctx.rank());
            if (!inPlace)
            {
                HostBlocks.toHostOrder(hierarchy, myHost, buffer, offset, work, blockLength);
            }
            final CollectiveContext leaders = ctx.leaderGroup();
            for (int host = 0; host < hierarchy.hostCount(); host++)
            {
                final int at = hierarchy.hostPosition(host) * blockLength;
                CHAIN.broadcast(leaders, work, workOffset + at, hierarchy.ranksOnHost(host) * blockLength, host);
            }
            if (!inPlace)
            {
                HostBlocks.hostToWorldOrder(hierarchy, work, buffer, offset, blockLength);
            }
        }

        CHAIN.broadcast(local, buffer, offset, n * blockLength, 0);
    }
}
