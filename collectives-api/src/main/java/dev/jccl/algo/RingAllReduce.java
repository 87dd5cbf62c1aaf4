package dev.jccl.algo;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;

import java.nio.ByteBuffer;

/**
 * Ring allreduce for large messages: a segmented, pipelined ring reduce-scatter followed by a
 * ring allgather of the reduced blocks. Each rank sends and receives {@code 2 (n-1)/n} of the
 * data, the bandwidth optimum.
 */
public final class RingAllReduce extends SourceReadingAllReduce
{
    public static final String NAME = "ring";

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public String description()
    {
        return "segmented pipelined ring reduce-scatter + allgather, bandwidth-optimal for large messages";
    }

    /*
     * Narrative. The vector is cut into n balanced blocks (block b on rank b at the end of phase
     * one), and every block into segments of ctx.segmentBytes() rounded down to whole elements,
     * smaller when a block would have fewer than four (RingPattern.segmentElements).
     *
     * Phase 1, reduce-scatter (RingReduceScatter.reduceScatterPhase): n-1 steps around the ring.
     * Two receives are always posted into the two halves of scratch slot 0, so the next segment
     * arrives while the previous one is reduced into the caller's buffer; each reduced segment is
     * forwarded to the right at once, which overlaps consecutive steps. Block b is reduced exactly
     * once, in a fixed order along the ring, and ends on rank b only.
     *
     * Phase 2, allgather (RingAllGather.allGatherPhase): each rank sends its reduced block to the
     * right, and every segment that arrives is forwarded the moment it lands. Only copies of the one
     * reduced block travel, so the result is bit-identical on every rank whatever the type or op.
     *
     * Phase 1 waits for its last send before returning, so phase 2 never receives into memory a
     * phase-1 send is still reading.
     *
     * Out of place, phase 1 sends and reduces from the source (block b becomes op(src, incoming)
     * in the destination) and phase 2 fills every other block, so the source is never copied.
     */
    @Override
    void reduce(
        final CollectiveContext ctx, final ByteBuffer src, final int srcOffset, final ByteBuffer dst, final int dstOffset,
        final int count, final DataType type, final ReduceOp op)
    {
        RingReduceScatter.reduceScatterPhase(ctx, src, srcOffset, dst, dstOffset, count, type, op);
        RingAllGather.allGatherPhase(ctx, dst, dstOffset, count, type.size());
    }
}
