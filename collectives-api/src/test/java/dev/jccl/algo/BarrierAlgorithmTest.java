package dev.jccl.algo;

import dev.jccl.wire.CollectiveKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.atomic.AtomicInteger;

import static dev.jccl.algo.AlgoTestSupport.header;
import static org.junit.jupiter.api.Assertions.assertEquals;

class BarrierAlgorithmTest
{
    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = { 1, 2, 3, 4, 5, 7, 8, 13 })
    void nobodyLeavesBeforeEveryoneEntered(final int n)
    {
        final BarrierAlgorithm algo = (BarrierAlgorithm)AlgorithmRegistry.builtIn().lookup(CollectiveKind.BARRIER, DisseminationBarrier.NAME);
        final int rounds = 3;
        final AtomicInteger[] entered = new AtomicInteger[rounds];
        for (int i = 0; i < rounds; i++)
        {
            entered[i] = new AtomicInteger();
        }
        InMemoryCluster.run(n, ctx ->
        {
            for (int round = 0; round < rounds; round++)
            {
                // The last rank to arrive is a different one each round.
                Thread.sleep(((ctx.rank() + round) % n) * 3L);
                entered[round].incrementAndGet();
                header(ctx, round, CollectiveKind.BARRIER, null, null, -1, 0);
                algo.barrier(ctx);
                assertEquals(n, entered[round].get(), "rank " + ctx.rank() + " left barrier " + round + " early");
            }
        });
    }
}
