package dev.jccl.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BusBandwidthTest
{
    @Test
    void allReduceFactorIsTwoTimesNMinusOneOverN()
    {
        final PerfColl c = new AllReduceColl();
        assertEquals(0.0, c.busBwFactor(1), 1e-12);
        assertEquals(1.0, c.busBwFactor(2), 1e-12);
        assertEquals(1.5, c.busBwFactor(4), 1e-12);
        assertEquals(1.75, c.busBwFactor(8), 1e-12);
    }

    @Test
    void allGatherAndReduceScatterFactorIsNMinusOneOverN()
    {
        for (final PerfColl c : new PerfColl[] { new AllGatherColl(), new ReduceScatterColl() })
        {
            assertEquals(0.0, c.busBwFactor(1), 1e-12);
            assertEquals(0.5, c.busBwFactor(2), 1e-12);
            assertEquals(2.0 / 3, c.busBwFactor(3), 1e-12);
            assertEquals(0.875, c.busBwFactor(8), 1e-12);
        }
    }

    @Test
    void broadcastAndReduceFactorIsOne()
    {
        assertEquals(1.0, new BroadcastColl().busBwFactor(4), 1e-12);
        assertEquals(1.0, new ReduceColl().busBwFactor(4), 1e-12);
    }

    @Test
    void algBwIsSizeOverTimeInDecimalGigabytes()
    {
        final PerfRow.Timing t = PerfRow.Timing.of(1e-3, 1_000_000, 1.5, 0);
        assertEquals(1000.0, t.timeUs(), 1e-9);
        assertEquals(1.0, t.algBw(), 1e-12);
        assertEquals(1.5, t.busBw(), 1e-12);
    }

    @Test
    void countsFollowNcclTests()
    {
        // all_reduce, broadcast, reduce: one count for everything
        assertEquals(new PerfColl.Counts(256, 256, 256), new AllReduceColl().counts(1024, 4, 4));
        assertEquals(new PerfColl.Counts(256, 256, 256), new BroadcastColl().counts(1024, 4, 4));
        assertEquals(new PerfColl.Counts(256, 256, 256), new ReduceColl().counts(1024, 4, 4));
        // all_gather: the size is the gathered total, the count each rank's share
        assertEquals(new PerfColl.Counts(64, 256, 64), new AllGatherColl().counts(1024, 4, 4));
        // reduce_scatter: the size is each rank's input, the count each rank's share
        assertEquals(new PerfColl.Counts(256, 64, 64), new ReduceScatterColl().counts(1024, 4, 4));
        // sizes that do not divide round down to whole blocks
        assertEquals(new PerfColl.Counts(2, 6, 2), new AllGatherColl().counts(32, 4, 3));
        assertEquals(24, new AllGatherColl().counts(32, 4, 3).bytes(4));
        assertEquals(new PerfColl.Counts(0, 0, 0), new BarrierColl().counts(1 << 20, 1, 4));
    }
}
