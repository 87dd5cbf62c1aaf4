package dev.jccl.bench;

import dev.jccl.ReduceOp;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class LocalJobTest
{
    @Test
    void startsEveryRankConcurrentlyAndClosesTheJob() throws Exception
    {
        final FakeFactory factory = new FakeFactory();
        try (LocalJob job = LocalJob.start(factory, 3, "all_reduce", "ring", null))
        {
            assertEquals(3, job.size());
            final long[][] data = { { 1 }, { 2 }, { 3 } };
            final Thread[] threads = new Thread[3];
            for (int r = 0; r < 3; r++)
            {
                final int rank = r;
                threads[r] = new Thread(() -> job.comm(rank).allReduce(data[rank], ReduceOp.SUM));
                threads[r].start();
            }
            for (final Thread t : threads)
            {
                t.join(10_000);
            }
            for (final long[] d : data)
            {
                assertArrayEquals(new long[] { 6 }, d);
            }
        }
        assertEquals(1, factory.closedJobs);
    }
}
