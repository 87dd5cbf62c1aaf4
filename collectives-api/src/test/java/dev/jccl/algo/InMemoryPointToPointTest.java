package dev.jccl.algo;

import dev.jccl.CollectiveMismatchException;
import dev.jccl.CollectiveTimeoutException;
import dev.jccl.DataType;
import dev.jccl.ReduceOp;
import dev.jccl.wire.CollectiveKind;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The test transport itself: ordering, header checks and bounded waits. */
class InMemoryPointToPointTest
{
    private static ByteBuffer direct(final int bytes)
    {
        return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }

    @Test
    void messagesPerPeerArriveInPostOrder()
    {
        final int[][] got = new int[1][];
        InMemoryCluster.run(2, ctx ->
        {
            ctx.header().collective(1, 1, CollectiveKind.BROADCAST, DataType.INT32, ReduceOp.SUM, 0, 3);
            final ByteBuffer b = direct(12);
            if (ctx.rank() == 0)
            {
                for (int i = 0; i < 3; i++)
                {
                    b.putInt(i * 4, 10 + i);
                    ctx.header().chunk(i * 4, 4);
                    ctx.p2p().postSend(1, ctx.header(), b, i * 4, 4);
                }
                ctx.p2p().awaitAll();
            }
            else
            {
                final long[] t = new long[3];
                for (int i = 2; i >= 0; i--)
                {
                    // posted in reverse buffer order: the i-th receive still meets the i-th send
                    ctx.header().chunk((2 - i) * 4, 4);
                    t[i] = ctx.p2p().postRecv(0, ctx.header(), b, i * 4, 4);
                }
                ctx.p2p().awaitAll();
                got[0] = new int[] { b.getInt(0), b.getInt(4), b.getInt(8) };
            }
        });
        assertEquals(12, got[0][0]);
        assertEquals(11, got[0][1]);
        assertEquals(10, got[0][2]);
    }

    @Test
    void mismatchingHeaderThrowsOnEveryRank()
    {
        final CollectiveMismatchException e = assertThrows(CollectiveMismatchException.class, () ->
            InMemoryCluster.run(2, ctx ->
            {
                ctx.header().collective(1, ctx.rank(), CollectiveKind.ALL_REDUCE, DataType.FLOAT32, ReduceOp.SUM, -1, 4);
                new RecursiveDoublingAllReduce().allReduce(ctx, direct(16), 0, 4, DataType.FLOAT32, ReduceOp.SUM);
            }));
        assertTrue(e.getMessage().contains("seq 0") && e.getMessage().contains("seq 1"), e.getMessage());
    }

    @Test
    void waitsAreBounded()
    {
        final long start = System.nanoTime();
        assertThrows(CollectiveTimeoutException.class, () ->
            InMemoryCluster.run(2, 200, ctx ->
            {
                if (ctx.rank() == 0)
                {
                    ctx.header().collective(1, 1, CollectiveKind.BARRIER, null, null, -1, 0).chunk(0, 0);
                    ctx.p2p().await(ctx.p2p().postRecv(1, ctx.header(), direct(1), 0, 0));
                }
            }));
        assertTrue(System.nanoTime() - start < 10_000_000_000L);
    }

    @Test
    void returningWithOperationsOutstandingFails()
    {
        assertThrows(AssertionError.class, () ->
            InMemoryCluster.run(2, 500, ctx ->
            {
                ctx.header().collective(1, 1, CollectiveKind.BARRIER, null, null, -1, 0).chunk(0, 0);
                if (ctx.rank() == 0)
                {
                    ctx.p2p().postSend(1, ctx.header(), direct(1), 0, 0);
                }
            }));
    }

    @Test
    void misuseIsRejected()
    {
        final InMemoryCluster cluster = new InMemoryCluster(2, 100);
        final InMemoryPointToPoint p = cluster.rank(0);
        final dev.jccl.wire.MessageHeader h = new dev.jccl.wire.MessageHeader()
            .collective(1, 1, CollectiveKind.BROADCAST, null, null, 0, 8).chunk(0, 8);
        assertThrows(IllegalArgumentException.class, () -> p.postSend(0, h, direct(8), 0, 8), "self");
        assertThrows(IllegalArgumentException.class, () -> p.postSend(1, h, ByteBuffer.allocate(8), 0, 8), "heap");
        assertThrows(IndexOutOfBoundsException.class, () -> p.postSend(1, h, direct(4), 0, 8), "bounds");
        assertThrows(IllegalArgumentException.class, () -> p.postSend(1, h, direct(8), 0, 4), "header length");
    }
}
