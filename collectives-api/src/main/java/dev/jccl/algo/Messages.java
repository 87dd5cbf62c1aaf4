package dev.jccl.algo;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;
import org.agrona.BufferUtil;

import java.nio.ByteBuffer;

/**
 * Small helpers shared by the algorithms: post a framed send or receive with the chunk fields set
 * (chunk offset is the byte offset inside the collective's own buffer, so both sides compute the
 * same value), and reduce between direct buffers.
 */
final class Messages
{
    private Messages()
    {
    }

    static long send(
        final CollectiveContext ctx, final int peer, final ByteBuffer src, final int srcOffset,
        final long chunkOffset, final int length)
    {
        ctx.header().chunk(chunkOffset, length);
        return ctx.p2p().postSend(peer, ctx.header(), src, srcOffset, length);
    }

    static long recv(
        final CollectiveContext ctx, final int peer, final ByteBuffer dst, final int dstOffset,
        final long chunkOffset, final int length)
    {
        ctx.header().chunk(chunkOffset, length);
        return ctx.p2p().postRecv(peer, ctx.header(), dst, dstOffset, length);
    }

    /** A receive reduced on arrival: {@code dst[dstOffset..] = op(local[localOffset..], incoming)}. */
    static long recvReduce(
        final CollectiveContext ctx, final int peer, final ByteBuffer dst, final int dstOffset,
        final ByteBuffer local, final int localOffset, final long chunkOffset, final int length,
        final DataType type, final ReduceOp op)
    {
        ctx.header().chunk(chunkOffset, length);
        return ctx.p2p().postRecvReduce(peer, ctx.header(), dst, dstOffset, local, localOffset, length, ctx.kernels(), type, op);
    }

    /** {@code dst[dstOffset..] = op(local[localOffset..], src[srcOffset..])} for {@code count} elements. */
    static void reduceInto(
        final CollectiveContext ctx, final DataType type, final ReduceOp op, final ByteBuffer dst, final int dstOffset,
        final ByteBuffer local, final int localOffset, final ByteBuffer src, final int srcOffset, final long count)
    {
        if (count > 0)
        {
            ctx.kernels().reduce(type, op, BufferUtil.address(dst) + dstOffset, BufferUtil.address(local) + localOffset,
                BufferUtil.address(src) + srcOffset, count);
        }
    }

    /** {@code dst[dstOffset..] = op(dst[dstOffset..], src[srcOffset..])} for {@code count} elements. */
    static void reduceInto(
        final CollectiveContext ctx, final DataType type, final ReduceOp op,
        final ByteBuffer dst, final int dstOffset, final ByteBuffer src, final int srcOffset, final long count)
    {
        if (count > 0)
        {
            ctx.kernels().reduce(type, op, BufferUtil.address(dst) + dstOffset, BufferUtil.address(src) + srcOffset, count);
        }
    }

    /** {@code dst[dstOffset..] = op(src[srcOffset..], dst[dstOffset..])}: the received data as first operand. */
    static void reduceIntoSwapped(
        final CollectiveContext ctx, final DataType type, final ReduceOp op,
        final ByteBuffer dst, final int dstOffset, final ByteBuffer src, final int srcOffset, final long count)
    {
        if (count > 0)
        {
            final long d = BufferUtil.address(dst) + dstOffset;
            ctx.kernels().reduce(type, op, d, BufferUtil.address(src) + srcOffset, d, count);
        }
    }

    /** A direct buffer for zero-length messages. */
    static ByteBuffer empty(final CollectiveContext ctx)
    {
        return ctx.scratch(0, 0);
    }
}
