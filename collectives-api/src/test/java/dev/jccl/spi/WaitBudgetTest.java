package dev.jccl.spi;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static dev.jccl.spi.WaitBudget.Phase.PARK;
import static dev.jccl.spi.WaitBudget.Phase.SPIN;
import static dev.jccl.spi.WaitBudget.Phase.STARTED;
import static dev.jccl.spi.WaitBudget.Phase.YIELD;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The wait policy by elapsed idle time, driven by an explicit clock (no sleeping, no I/O). */
class WaitBudgetTest
{
    /** Property names of this test only, so no other test's budget sees them. */
    private static final String SPIN_PROPERTY = "jccl.test.waitBudget.spinUs";
    private static final String YIELD_PROPERTY = "jccl.test.waitBudget.yieldUs";
    private static final long T0 = 1_000_000_000L;

    @AfterEach
    void clearProperties()
    {
        System.clearProperty(SPIN_PROPERTY);
        System.clearProperty(YIELD_PROPERTY);
    }

    private static long us(final long micros)
    {
        return TimeUnit.MICROSECONDS.toNanos(micros);
    }

    @Test
    void dedicatedHostSpinsThenYieldsThenParks()
    {
        final WaitBudget budget = new WaitBudget(SPIN_PROPERTY, YIELD_PROPERTY, 200);
        budget.forLocalRanks(4, 4);
        assertEquals(us(WaitBudget.SPIN_US_DEDICATED), budget.spinNanos());
        assertEquals(us(200), budget.yieldNanos());

        budget.restart();
        assertEquals(STARTED, budget.phase(T0));
        assertEquals(SPIN, budget.phase(T0 + us(1)));
        assertEquals(SPIN, budget.phase(T0 + us(49)));
        assertEquals(YIELD, budget.phase(T0 + us(50)));
        assertEquals(YIELD, budget.phase(T0 + us(199)));
        assertEquals(PARK, budget.phase(T0 + us(200)));
        assertEquals(PARK, budget.phase(T0 + us(10_000)));
    }

    /** Bound to one core of two by jcclrun, a rank sees one CPU for two local ranks: it still has a core of its own. */
    @Test
    void aRankBoundToItsOwnCoreSpinsThoughItSeesOneCpu()
    {
        final WaitBudget budget = new WaitBudget(SPIN_PROPERTY, YIELD_PROPERTY, 1_000);
        budget.forLocalRanks(2, 1, true);
        assertEquals(us(WaitBudget.SPIN_US_DEDICATED), budget.spinNanos());
        budget.forLocalRanks(2, 1, false);
        assertEquals(0, budget.spinNanos());
    }

    @Test
    void oversubscribedHostNeverSpins()
    {
        final WaitBudget budget = new WaitBudget(SPIN_PROPERTY, YIELD_PROPERTY, 1_000);
        budget.forLocalRanks(5, 4);
        assertEquals(0, budget.spinNanos());
        assertEquals(us(1_000), budget.yieldNanos());

        budget.restart();
        assertEquals(STARTED, budget.phase(T0));
        assertEquals(YIELD, budget.phase(T0 + 1));
        assertEquals(PARK, budget.phase(T0 + us(1_000)));
    }

    @Test
    void progressRestartsTheClock()
    {
        final WaitBudget budget = new WaitBudget(SPIN_PROPERTY, YIELD_PROPERTY, 200);
        budget.forLocalRanks(1, 1);
        budget.restart();
        budget.phase(T0);
        assertEquals(PARK, budget.phase(T0 + us(500)));

        budget.restart();
        assertEquals(STARTED, budget.phase(T0 + us(600)));
        assertEquals(SPIN, budget.phase(T0 + us(610)));
    }

    @Test
    void parkThatMovedNothingGoesStraightBackToParking()
    {
        final WaitBudget budget = new WaitBudget(SPIN_PROPERTY, YIELD_PROPERTY, 200);
        budget.forLocalRanks(1, 1);
        budget.restart();
        budget.phase(T0);
        assertEquals(PARK, budget.phase(T0 + us(300)));

        budget.parkedIdle(T0 + us(100_300));
        assertEquals(PARK, budget.phase(T0 + us(100_300)));
    }

    @Test
    void propertiesOverrideBothBudgets()
    {
        System.setProperty(SPIN_PROPERTY, "7");
        System.setProperty(YIELD_PROPERTY, "30");
        final WaitBudget budget = new WaitBudget(SPIN_PROPERTY, YIELD_PROPERTY, 200);
        budget.forLocalRanks(64, 2);
        assertEquals(us(7), budget.spinNanos());
        assertEquals(us(30), budget.yieldNanos());
    }

    @Test
    void yieldBudgetIsNeverShorterThanTheSpin()
    {
        System.setProperty(SPIN_PROPERTY, "500");
        System.setProperty(YIELD_PROPERTY, "100");
        final WaitBudget budget = new WaitBudget(SPIN_PROPERTY, YIELD_PROPERTY, 200);
        budget.forLocalRanks(1, 1);
        assertEquals(us(500), budget.yieldNanos());

        budget.restart();
        budget.phase(T0);
        assertEquals(SPIN, budget.phase(T0 + us(499)));
        assertEquals(PARK, budget.phase(T0 + us(500)));
    }

    @Test
    void parkSleepsDoubleUpToTheCapAndNeverPassTheDeadline()
    {
        final WaitBudget budget = new WaitBudget(SPIN_PROPERTY, YIELD_PROPERTY, 200);
        budget.restart();
        final long far = TimeUnit.SECONDS.toNanos(10);
        assertEquals(us(10), budget.nextParkNanos(far));
        assertEquals(us(20), budget.nextParkNanos(far));
        assertEquals(us(40), budget.nextParkNanos(far));
        assertEquals(us(80), budget.nextParkNanos(far));
        assertEquals(WaitBudget.MAX_PARK_NANOS, budget.nextParkNanos(far));
        assertEquals(WaitBudget.MAX_PARK_NANOS, budget.nextParkNanos(far));

        assertEquals(us(3), budget.nextParkNanos(us(3)));
        assertEquals(1, budget.nextParkNanos(0));
        assertEquals(1, budget.nextParkNanos(-us(5)));

        budget.restart();
        assertEquals(WaitBudget.MIN_PARK_NANOS, budget.nextParkNanos(far));
    }
}
