package dev.jccl.bench;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

class CompilerDrainTest
{
    @Test
    void aWindowIsIdleBelowFivePercentOfOneCore()
    {
        final long window = TimeUnit.MILLISECONDS.toNanos(50);
        assertTrue(CompilerDrain.idle(window / 25, window));
        assertFalse(CompilerDrain.idle(window / 10, window));
        assertFalse(CompilerDrain.idle(0, 0));
    }

    @Test
    void waitsWhileTheProcessBurnsCpuAndStopsAtTheFirstIdleWindow() throws InterruptedException
    {
        // A fake CPU clock that runs as fast as the wall clock for the first three windows, then stops.
        final long t0 = System.nanoTime();
        final long busyUntil = t0 + 3 * CompilerDrain.WINDOW_NANOS;
        final AtomicLong frozen = new AtomicLong(-1);
        final CompilerDrain drain = new CompilerDrain(() ->
        {
            final long now = System.nanoTime();
            if (now < busyUntil)
            {
                return now - t0;
            }
            frozen.compareAndSet(-1, busyUntil - t0);
            return frozen.get();
        });
        assertTrue(drain.await(TimeUnit.SECONDS.toNanos(5)));
        final long waited = System.nanoTime() - t0;
        assertTrue(waited >= 3 * CompilerDrain.WINDOW_NANOS, "returned after " + waited + " ns, while the CPU clock still ran");
        assertTrue(waited < TimeUnit.SECONDS.toNanos(4), "did not stop at the first idle window: " + waited + " ns");
    }

    @Test
    void givesUpAtTheBoundWhenTheProcessNeverGoesIdle() throws InterruptedException
    {
        final long t0 = System.nanoTime();
        final CompilerDrain drain = new CompilerDrain(() -> System.nanoTime() - t0);
        assertFalse(drain.await(TimeUnit.MILLISECONDS.toNanos(200)));
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(2));
    }

    @Test
    void anUnknownCpuClockReturnsAtOnce() throws InterruptedException
    {
        final long t0 = System.nanoTime();
        assertFalse(new CompilerDrain(() -> -1).await(TimeUnit.SECONDS.toNanos(5)));
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1));
    }
}
