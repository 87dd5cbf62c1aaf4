package dev.jccl.tcp;

import dev.jccl.CollectiveException;
import dev.jccl.CollectiveMismatchException;
import dev.jccl.Communicator;
import dev.jccl.ReduceOp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ranks that disagree about a call (count, type, op, root, collective kind) must all get
 * {@link CollectiveMismatchException} quickly: never corrupt data and never a hang. The
 * communicator is broken afterwards, so each case uses a fresh cluster. Other host transports run
 * the same cases by overriding {@link #transport()} (transport-shm's ShmMismatchDetectionTest).
 */
public class MismatchDetectionTest
{
    private static final Duration QUICK = Duration.ofSeconds(20);

    /** The JCCL_TRANSPORT value the cases run over. */
    protected String transport()
    {
        return "tcp";
    }

    private ThreadedCluster start(final int size, final Duration timeout)
    {
        return ThreadedCluster.start(size, c -> c.transport(transport()).timeout(timeout));
    }

    @ParameterizedTest(name = "{0} ranks")
    @ValueSource(ints = { 2, 3, 4 })
    void allReduceCountMismatchFailsEveryRank(final int size)
    {
        expectMismatchEverywhere(size, comm ->
        {
            final float[] data = new float[comm.rank() == size - 1 ? 11 : 10];
            comm.allReduce(data, ReduceOp.SUM);
        });
    }

    @Test
    void allReduceTypeMismatchFailsEveryRank()
    {
        expectMismatchEverywhere(3, comm ->
        {
            if (comm.rank() == 1)
            {
                comm.allReduce(new int[64], ReduceOp.SUM);
            }
            else
            {
                comm.allReduce(new float[64], ReduceOp.SUM);
            }
        });
    }

    @Test
    void allReduceOpMismatchFailsEveryRank()
    {
        expectMismatchEverywhere(3, comm -> comm.allReduce(new double[100], comm.rank() == 2 ? ReduceOp.MAX : ReduceOp.SUM));
    }

    @Test
    void broadcastRootMismatchFailsEveryRank()
    {
        expectMismatchEverywhere(3, comm -> comm.broadcast(new long[32], comm.rank() == 0 ? 1 : 0));
    }

    @Test
    void collectiveKindMismatchFailsEveryRank()
    {
        expectMismatchEverywhere(2, comm ->
        {
            final float[] data = new float[16];
            if (comm.rank() == 0)
            {
                comm.allReduce(data, ReduceOp.SUM);
            }
            else
            {
                comm.broadcast(data, 0);
            }
        });
    }

    @Test
    void zeroCountOnOneRankAgainstNonZeroFailsBeforeTheTimeout()
    {
        // The count-0 call returns at once without I/O; its heartbeats then carry that call, and
        // the waiting rank sees a different call under the same number. The count-0 rank learns
        // of it on its next call.
        expectMismatchEverywhere(2, comm ->
        {
            comm.allReduce(new float[comm.rank() == 0 ? 0 : 100], ReduceOp.SUM);
            comm.barrier();
        });
    }

    // In a reduce a leaf only sends, so its own call can return before anyone checks it; the
    // others' ABORT reaches it by its next call, which throws. Hence the barrier after the reduce.
    @Test
    void reduceRootMismatchFailsEveryRank()
    {
        expectMismatchEverywhere(3, comm ->
        {
            comm.reduce(new int[40], new int[40], ReduceOp.SUM, comm.rank() == 1 ? 2 : 0);
            comm.barrier();
        });
    }

    @Test
    void reduceOpMismatchFailsEveryRank()
    {
        expectMismatchEverywhere(2, comm ->
        {
            comm.reduce(new long[40], new long[40], comm.rank() == 1 ? ReduceOp.MIN : ReduceOp.SUM, 0);
            comm.barrier();
        });
    }

    @Test
    void allGatherCountMismatchFailsEveryRank()
    {
        expectMismatchEverywhere(3, comm ->
        {
            final int block = comm.rank() == 0 ? 9 : 8;
            comm.allGather(new float[block], new float[block * 3]);
        });
    }

    @Test
    void reduceScatterTypeMismatchFailsEveryRank()
    {
        expectMismatchEverywhere(2, comm ->
        {
            if (comm.rank() == 0)
            {
                comm.reduceScatter(new double[32], new double[16], ReduceOp.SUM);
            }
            else
            {
                comm.reduceScatter(new long[32], new long[16], ReduceOp.SUM);
            }
        });
    }

    @Test
    void barrierAgainstAllReduceFailsEveryRank()
    {
        expectMismatchEverywhere(3, comm ->
        {
            if (comm.rank() == 2)
            {
                comm.barrier();
            }
            else
            {
                comm.allReduce(new int[4], ReduceOp.SUM);
            }
        });
    }

    @Test
    void mismatchMessageNamesBothSides()
    {
        try (ThreadedCluster cluster = start(2, Duration.ofSeconds(30)))
        {
            final Throwable[] thrown = cluster.runExpectingFailure(comm ->
                comm.allReduce(new float[comm.rank() == 0 ? 5 : 6], ReduceOp.SUM), QUICK);
            final String text = String.valueOf(thrown[0].getMessage()) + " | " + thrown[1].getMessage();
            assertTrue(text.contains("5") && text.contains("6"), "message should name both counts: " + text);
        }
    }

    @Test
    void brokenCommunicatorThrowsAtOnceAfterMismatch()
    {
        try (ThreadedCluster cluster = start(2, Duration.ofSeconds(30)))
        {
            cluster.runExpectingFailure(comm -> comm.allReduce(new int[comm.rank() + 1], ReduceOp.SUM), QUICK);
            final Throwable[] again = cluster.runExpectingFailure(comm ->
            {
                final long start = System.nanoTime();
                final CollectiveException ex = assertThrows(CollectiveException.class, comm::barrier);
                assertTrue(System.nanoTime() - start < Duration.ofSeconds(1).toNanos(), "broken communicator must fail at once");
                throw ex;
            }, QUICK);
            for (final Throwable t : again)
            {
                assertInstanceOf(CollectiveMismatchException.class, t);
            }
        }
    }

    @Test
    void badArgumentsFailBeforeAnyIoAndLeaveCommunicatorUsable()
    {
        try (ThreadedCluster cluster = start(2, Duration.ofSeconds(60)))
        {
            cluster.run(comm ->
            {
                assertThrows(IllegalArgumentException.class, () -> comm.broadcast(new float[4], 7));
                assertThrows(IllegalArgumentException.class, () -> comm.reduce(new float[4], new float[4], ReduceOp.SUM, -1));
                assertThrows(IllegalArgumentException.class, () -> comm.allGather(new float[4], new float[5]));
                assertThrows(IllegalArgumentException.class, () -> comm.reduceScatter(new float[8], new float[3], ReduceOp.SUM));
                final float[] data = { comm.rank() + 1f };
                comm.allReduce(data, ReduceOp.SUM);
                assertEquals(3f, data[0]);
            });
        }
    }

    private void expectMismatchEverywhere(final int size, final Consumer<Communicator> body)
    {
        try (ThreadedCluster cluster = start(size, Duration.ofSeconds(60)))
        {
            final long start = System.nanoTime();
            final Throwable[] thrown = cluster.runExpectingFailure(body, QUICK);
            for (int r = 0; r < size; r++)
            {
                assertNotNull(thrown[r], "rank " + r + " returned normally from a mismatched call");
                assertInstanceOf(CollectiveMismatchException.class, thrown[r], "rank " + r + ": " + thrown[r]);
            }
            assertTrue(System.nanoTime() - start < QUICK.toNanos(), "mismatch must be reported well before the 60 s timeout");
        }
    }
}
