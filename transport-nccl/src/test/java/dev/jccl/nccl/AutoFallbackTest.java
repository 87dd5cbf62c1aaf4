package dev.jccl.nccl;

import dev.jccl.Jccl;
import dev.jccl.JcclConfig;
import dev.jccl.ReduceOp;
import dev.jccl.TransportUnavailableException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Without a GPU: auto picks TCP (and the collective is right); nccl names what is missing. */
class AutoFallbackTest
{
    @Test
    void autoFallsBackToTcpWithTwoRanksAndAllReduceIsCorrect() throws Exception
    {
        assumeTrue(NcclProbe.result().reason() != null, "NCCL is available here, so auto picks it");
        try (ThreadRanks ranks = ThreadRanks.start(2, config -> config.transport("auto")))
        {
            ranks.run(comm ->
            {
                assertEquals("tcp", comm.transportName());
                final float[] grad = new float[1000];
                for (int i = 0; i < grad.length; i++)
                {
                    grad[i] = comm.rank() * 1000 + i;
                }
                comm.allReduce(grad, ReduceOp.SUM);
                final float[] expected = new float[grad.length];
                for (int i = 0; i < grad.length; i++)
                {
                    expected[i] = 1000 + 2f * i;
                }
                assertArrayEquals(expected, grad);
                final double[] avg = { comm.rank(), 2 * comm.rank() };
                comm.allReduce(avg, ReduceOp.AVG);
                assertArrayEquals(new double[] { 0.5, 1.0 }, avg);
            });
        }
    }

    @Test
    void explicitNcclWithoutGpuThrowsTransportUnavailableNamingTheLibrary()
    {
        final String reason = NcclProbe.result().reason();
        assumeTrue(reason != null, "NCCL is available here");
        final TransportUnavailableException ex = assertThrows(TransportUnavailableException.class,
            () -> Jccl.init(JcclConfig.singleRank().transport("nccl")));
        assertEquals("JCCL_TRANSPORT=nccl cannot run here: " + reason, ex.getMessage());
        assertTrue(ex.getMessage().contains(".so"), ex.getMessage());
    }

    @Test
    void providerCreateRefusesToo()
    {
        final String reason = NcclProbe.result().reason();
        assumeTrue(reason != null, "NCCL is available here");
        final TransportUnavailableException ex = assertThrows(TransportUnavailableException.class,
            () -> new NcclTransportProvider().create(JcclConfig.singleRank().conclude(), null, null, 0));
        assertTrue(ex.getMessage().endsWith(reason), ex.getMessage());
    }
}
