package dev.jccl.spi;

import dev.jccl.CollectiveException;
import dev.jccl.DataType;
import dev.jccl.ReduceOp;
import dev.jccl.wire.CollectiveKind;
import dev.jccl.wire.MessageHeader;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class FirstFailureTest
{
    private final FirstFailure failure = new FirstFailure(System.getLogger(FirstFailureTest.class.getName()), 1);

    @Test
    void firstRecordedFailureWinsAndIsReturnedToLaterOnes()
    {
        assertNull(failure.get());
        final CollectiveException first = new CollectiveException("first");
        assertSame(first, failure.record(first));
        assertSame(first, failure.record(new CollectiveException("second")));
        assertSame(first, failure.get());
    }

    @Test
    void threadsRacingToRecordAllGetTheSameWinner() throws Exception
    {
        final int threads = 8;
        final ExecutorService pool = Executors.newFixedThreadPool(threads);
        try
        {
            final CountDownLatch go = new CountDownLatch(1);
            final Future<?>[] results = new Future<?>[threads];
            for (int t = 0; t < threads; t++)
            {
                final CollectiveException mine = new CollectiveException("thread " + t);
                results[t] = pool.submit(() ->
                {
                    go.await();
                    return failure.record(mine);
                });
            }
            go.countDown();
            final Object[] returned = new Object[threads];
            for (int t = 0; t < threads; t++)
            {
                returned[t] = results[t].get(10, TimeUnit.SECONDS);
            }
            for (final Object one : returned)
            {
                assertSame(failure.get(), one);
            }
        }
        finally
        {
            pool.shutdownNow();
        }
    }

    @Test
    void timeoutTextNamesTheCallAndTheRank()
    {
        final MessageHeader call = new MessageHeader().collective(7, 3, CollectiveKind.ALL_REDUCE, DataType.FLOAT32, ReduceOp.SUM, -1, 10);
        assertEquals("allReduce (seq 3, count 10, communicator 7) on rank 1 timed out after ",
            FirstFailure.timedOut(call, 1).toString());
        assertEquals("collective (seq 0, count 0, communicator 0) on rank 2 timed out after ",
            FirstFailure.timedOut(new MessageHeader(), 2).toString());
    }
}
