package dev.jccl.algo;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;

import java.nio.ByteBuffer;

/**
 * Allreduce for jobs that span hosts with one leader per host carrying the network part: the
 * other layout the hierarchy can take, next to {@link HierarchicalAllReduce}'s one ring per local
 * rank. {@code hier} uses it itself where hosts hold different rank counts; as {@code hier-leader}
 * it can be chosen on any layout ({@code JCCL_ALGO}, {@code jccl-perf --algo}) so the two can be
 * measured against each other (bench/twohosts.sh). Without a hierarchy that pays it runs the flat
 * ring.
 */
public final class HostLeaderAllReduce implements AllReduceAlgorithm
{
    public static final String NAME = "hier-leader";

    private static final RingAllReduce RING = new RingAllReduce();

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public String description()
    {
        return "intra-host ring reduce to one leader per host, ring allreduce among leaders, intra-host chain broadcast";
    }

    /* Narrative: HierarchicalAllReduce.hostLeaders, whose three phases this runs on every layout. */
    @Override
    public void allReduce(
        final CollectiveContext ctx, final ByteBuffer buffer, final int offset, final int count,
        final DataType type, final ReduceOp op)
    {
        if (ctx.size() == 1 || count == 0)
        {
            return;
        }
        final HierarchyPattern hierarchy = ctx.hierarchy();
        if (hierarchy == null || !hierarchy.worthwhile())
        {
            RING.allReduce(ctx, buffer, offset, count, type, op);
            return;
        }
        HierarchicalAllReduce.hostLeaders(ctx, buffer, offset, count, type, op);
    }
}
