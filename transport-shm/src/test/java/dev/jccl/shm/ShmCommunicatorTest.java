package dev.jccl.shm;

import dev.jccl.tcp.AllocationWindows;
import dev.jccl.tcp.ThreadedCluster;
import dev.jccl.CommBuffer;
import dev.jccl.CommunicatorAbortedException;
import dev.jccl.DataType;
import dev.jccl.JcclConfig;
import dev.jccl.PeerFailureException;
import dev.jccl.ReduceOp;
import dev.jccl.spi.RankHosts;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The transport under the communicator: selection, rings smaller than messages, failures, allocation. */
class ShmCommunicatorTest
{
    @Test
    void autoPicksShmWhenEveryRankIsOnOneHost()
    {
        try (ThreadedCluster cluster = ShmCluster.start(2, c -> c.transport("auto")))
        {
            assertEquals("shm", cluster.comm(0).transportName());
            assertEquals("shm", cluster.comm(1).transportName());
        }
    }

    @Test
    void shmDeclinesJobsThatSpanHosts()
    {
        final ShmTransportProvider provider = new ShmTransportProvider();
        final JcclConfig config = new JcclConfig();
        assertEquals("ranks span 2 hosts", provider.unavailableReason(config, new RankHosts(new String[] { "a", "b", "a" })));
        assertNull(provider.unavailableReason(config, new RankHosts(new String[] { "a", "a" })));
    }

    @Test
    void messagesLargerThanTheRingWrapAndStayExact()
    {
        System.setProperty("jccl.shm.ringBytes", Integer.toString(ShmLayoutDescriptor.MIN_RING_CAPACITY));
        try (ThreadedCluster cluster = ShmCluster.start(3))
        {
            cluster.run(comm ->
            {
                for (final int count : new int[] { 0, 1, 13, 16_385, 100_003 })
                {
                    final float[] data = new float[count];
                    for (int i = 0; i < count; i++)
                    {
                        data[i] = comm.rank() + (i % 7);
                    }
                    comm.allReduce(data, ReduceOp.SUM);
                    for (int i = 0; i < count; i++)
                    {
                        assertEquals(3 + 3 * (i % 7), data[i], "allReduce of " + count + " at " + i);
                    }
                    final byte[] bytes = new byte[count * 4 + 3];
                    if (comm.rank() == 2)
                    {
                        for (int i = 0; i < bytes.length; i++)
                        {
                            bytes[i] = (byte)(i * 31);
                        }
                    }
                    comm.broadcast(bytes, 2);
                    for (int i = 0; i < bytes.length; i++)
                    {
                        assertEquals((byte)(i * 31), bytes[i], "broadcast of " + bytes.length + " at " + i);
                    }
                }
            });
        }
        finally
        {
            System.clearProperty("jccl.shm.ringBytes");
        }
    }

    /**
     * Windows of 1000 small allreduce calls (and 100 of 4 MiB, in place and out of place: the
     * ring's reducing receives and its reads straight from the send buffer) after warm-up, per
     * rank, judged as {@link AllocationWindows} says.
     */
    @Test
    void steadyStateAllReduceAllocatesNothing()
    {
        final long[][] windows = new long[2][];
        try (ThreadedCluster cluster = ShmCluster.start(2))
        {
            cluster.run(comm ->
            {
                final CommBuffer small = CommBuffer.of(ByteBuffer.allocateDirect(4 * 1024).order(ByteOrder.nativeOrder()), DataType.FLOAT32, 1024);
                final CommBuffer large = CommBuffer.of(ByteBuffer.allocateDirect(4 << 20).order(ByteOrder.nativeOrder()), DataType.FLOAT32, 1 << 20);
                final CommBuffer largeOut = CommBuffer.of(ByteBuffer.allocateDirect(4 << 20).order(ByteOrder.nativeOrder()), DataType.FLOAT32, 1 << 20);
                final Runnable calls = () ->
                {
                    for (int i = 0; i < 1000; i++)
                    {
                        comm.allReduce(small, ReduceOp.SUM);
                        if (i % 10 == 0)
                        {
                            comm.allReduce(large, ReduceOp.SUM);
                        }
                        else if (i % 10 == 5)
                        {
                            comm.allReduce(large, largeOut, ReduceOp.SUM);
                        }
                    }
                };
                // Warm-up: C2 compiles the call path only after thousands of calls.
                for (int i = 0; i < 5; i++)
                {
                    calls.run();
                }
                windows[comm.rank()] = AllocationWindows.measure(calls);
            }, Duration.ofSeconds(240));
        }
        AllocationWindows.check(windows, 1100, "allreduce");
    }

    @Test
    void peerThatClosesMidCallIsReportedAsFailed()
    {
        try (ThreadedCluster cluster = ShmCluster.start(2, c -> c.timeout(Duration.ofSeconds(60))))
        {
            final long start = System.nanoTime();
            final Throwable[] thrown = cluster.runExpectingFailure(comm ->
            {
                if (comm.rank() == 1)
                {
                    comm.close();
                    return;
                }
                comm.allReduce(new float[1000], ReduceOp.SUM);
            }, Duration.ofSeconds(30));
            assertInstanceOf(PeerFailureException.class, thrown[0]);
            assertEquals(1, ((PeerFailureException)thrown[0]).peerRank());
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(20).toNanos(), "found well before the 60 s timeout");
        }
    }

    @Test
    void abortFromAnotherThreadUnblocksEveryRank() throws Exception
    {
        try (ThreadedCluster cluster = ShmCluster.start(3))
        {
            final Thread aborter = new Thread(() ->
            {
                try
                {
                    Thread.sleep(500);
                }
                catch (final InterruptedException ignore)
                {
                    return;
                }
                cluster.comm(2).abort();
            });
            aborter.start();
            final Throwable[] thrown = cluster.runExpectingFailure(comm ->
            {
                if (comm.rank() != 2)
                {
                    comm.allReduce(new float[10], ReduceOp.SUM);
                }
                else
                {
                    try
                    {
                        Thread.sleep(2_000);
                    }
                    catch (final InterruptedException ignore)
                    {
                        Thread.currentThread().interrupt();
                    }
                }
            }, Duration.ofSeconds(30));
            aborter.join();
            assertInstanceOf(CommunicatorAbortedException.class, thrown[0]);
            assertInstanceOf(CommunicatorAbortedException.class, thrown[1]);
            assertNotNull(cluster.comm(0));
        }
    }
}
