package dev.jccl.algo;

import org.agrona.BufferUtil;
import org.agrona.UnsafeApi;

import java.nio.ByteBuffer;

/** Pipelined chain broadcast for large messages: segments stream root -> root+1 -> ... -> root-1. */
public final class ChainBroadcast implements BroadcastAlgorithm
{
    public static final String NAME = "chain";

    /** Segment receives posted ahead of the one being forwarded. */
    static final int RECV_DEPTH = 4;

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public String description()
    {
        return "pipelined chain in segments: each link carries the message once, bandwidth-optimal for large messages";
    }

    /*
     * Out of place, the root's copy into its own dst is the one pass over the data that no link
     * carries. The root keeps RECV_DEPTH segment sends posted and copies each segment once its
     * send is complete, that is while the segments behind it are still in the transport's
     * buffers (the socket or the shared-memory ring) and the successor is draining them, so the
     * copy overlaps the transfer instead of preceding it. Every other rank runs the plain chain.
     */
    @Override
    public void broadcast(
        final CollectiveContext ctx, final ByteBuffer src, final int srcOffset, final ByteBuffer dst, final int dstOffset,
        final int length, final int root)
    {
        final int n = ctx.size();
        final int rank = ctx.rank();
        if (rank != root || n == 1 || length == 0)
        {
            BroadcastAlgorithm.super.broadcast(ctx, src, srcOffset, dst, dstOffset, length, root);
            return;
        }
        final int next = ChainPattern.next(rank, root, n);
        final int seg = ctx.segmentBytes();
        final int nseg = ChainPattern.segments(length, seg);
        final long[] tickets = ctx.tickets(RECV_DEPTH);
        int posted = 0;
        while (posted < nseg && posted < RECV_DEPTH)
        {
            final int at = posted * seg;
            tickets[posted % RECV_DEPTH] = Messages.send(ctx, next, src, srcOffset + at, at, Math.min(seg, length - at));
            posted++;
        }
        final long srcAddress = BufferUtil.address(src) + srcOffset;
        final long dstAddress = BufferUtil.address(dst) + dstOffset;
        for (int k = 0; k < nseg; k++)
        {
            ctx.p2p().await(tickets[k % RECV_DEPTH]);
            if (posted < nseg)
            {
                final int pat = posted * seg;
                tickets[posted % RECV_DEPTH] = Messages.send(ctx, next, src, srcOffset + pat, pat, Math.min(seg, length - pat));
                posted++;
            }
            final int at = k * seg;
            UnsafeApi.copyMemory(srcAddress + at, dstAddress + at, Math.min(seg, length - at));
        }
    }

    /*
     * Narrative (see ChainPattern). The message is cut into segments of ctx.segmentBytes(). The
     * root posts every segment's send to its successor at once. Every other rank keeps a few
     * segment receives posted ahead, straight into the caller's buffer, and forwards each segment
     * to its successor the moment it lands, so all links of the chain carry data at the same time
     * and the time approaches (n - 1 + segments) segment-hops. The tail only receives. Sends to
     * one peer complete in order, so awaiting the last one covers them all.
     */
    @Override
    public void broadcast(final CollectiveContext ctx, final ByteBuffer buffer, final int offset, final int length, final int root)
    {
        final int n = ctx.size();
        if (n == 1 || length == 0)
        {
            return;
        }
        final int rank = ctx.rank();
        final int prev = ChainPattern.previous(rank, root, n);
        final int next = ChainPattern.next(rank, root, n);
        final int seg = ctx.segmentBytes();
        final int nseg = ChainPattern.segments(length, seg);
        long lastSend = 0;

        if (prev < 0)
        {
            for (int k = 0; k < nseg; k++)
            {
                final int at = k * seg;
                lastSend = Messages.send(ctx, next, buffer, offset + at, at, Math.min(seg, length - at));
            }
            ctx.p2p().await(lastSend);
            return;
        }

        final long[] tickets = ctx.tickets(RECV_DEPTH);
        int posted = 0;
        while (posted < nseg && posted < RECV_DEPTH)
        {
            final int at = posted * seg;
            tickets[posted % RECV_DEPTH] = Messages.recv(ctx, prev, buffer, offset + at, at, Math.min(seg, length - at));
            posted++;
        }
        for (int k = 0; k < nseg; k++)
        {
            ctx.p2p().await(tickets[k % RECV_DEPTH]);
            final int at = k * seg;
            if (next >= 0)
            {
                lastSend = Messages.send(ctx, next, buffer, offset + at, at, Math.min(seg, length - at));
            }
            if (posted < nseg)
            {
                final int pat = posted * seg;
                tickets[posted % RECV_DEPTH] = Messages.recv(ctx, prev, buffer, offset + pat, pat, Math.min(seg, length - pat));
                posted++;
            }
        }
        if (next >= 0)
        {
            ctx.p2p().await(lastSend);
        }
    }
}
