package dev.jccl.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WarmupPassTest
{
    @Test
    void smallSizesGetTheMostCallsAndLargeOnesOne()
    {
        assertEquals(WarmupPass.MAX_CALLS, WarmupPass.calls(0, 5));
        assertEquals(WarmupPass.MAX_CALLS, WarmupPass.calls(8, 5));
        assertEquals(WarmupPass.MAX_CALLS, WarmupPass.calls(8 * 1024, 5));
        assertEquals(128, WarmupPass.calls(64 * 1024, 5));
        assertEquals(8, WarmupPass.calls(1 << 20, 5));
        assertEquals(1, WarmupPass.calls(64L << 20, 5));
        assertEquals(1, WarmupPass.calls(256L << 20, 500), "one call per round at the top, whatever -w says");
        assertEquals(WarmupPass.MAX_CALLS, WarmupPass.calls(8, 2000), "-w is each row's own warm-up, not the round's");
    }

    @Test
    void minusWZeroMeansNoPass()
    {
        assertEquals(0, WarmupPass.calls(8, 0));
        assertEquals(0, WarmupPass.calls(1 << 20, 0));
    }

    @Test
    void aRoundCoversTheDistinctSizesUpToEightMebibytesOrElseTheFirst()
    {
        assertEquals(List.of(8L, 64L, 512L, 2097152L, 8388608L),
            WarmupPass.sizes(List.of(8L, 64L, 512L, 2097152L, 8388608L, 16777216L, 268435456L)));
        assertEquals(List.of(16L << 20), WarmupPass.sizes(List.of(16L << 20, 64L << 20)));
        assertEquals(List.of(8L), WarmupPass.sizes(List.of(8L, 8L)));
        assertEquals(List.of(), WarmupPass.sizes(List.of()));
    }

    @Test
    void compilersAreQuietWhenTheyTookUnderTwoPercentOfAWindowLongEnoughToJudge()
    {
        final long second = TimeUnit.SECONDS.toNanos(1);
        assertTrue(WarmupPass.quiet(second, 19), "1.9 % of the window");
        assertFalse(WarmupPass.quiet(second, 20), "2 % is not under 2 %");
        assertFalse(WarmupPass.quiet(second, 700), "C2 still at work");
        assertTrue(WarmupPass.quiet(second, 0));
        assertFalse(WarmupPass.quiet(WarmupPass.MIN_WINDOW_NANOS - 1, 0), "too short a window to tell");
        assertTrue(WarmupPass.judged(WarmupPass.MIN_WINDOW_NANOS));
        assertFalse(WarmupPass.judged(WarmupPass.MIN_WINDOW_NANOS - 1));
        assertTrue(WarmupPass.quiet(second, -1), "a JVM that does not report compile time cannot hold the warm-up up");
    }

    @Test
    void anotherRoundWhileTheCompilersWorkAndTheBoundIsNotSpent()
    {
        final long bound = TimeUnit.SECONDS.toNanos(5);
        assertTrue(WarmupPass.another(TimeUnit.SECONDS.toNanos(1), bound, false));
        assertFalse(WarmupPass.another(TimeUnit.SECONDS.toNanos(1), bound, true), "quiet: done");
        assertFalse(WarmupPass.another(bound, bound, false), "bound spent: done even if still compiling");
        assertFalse(WarmupPass.another(1, 0, false), "--warmup-ms 0: one round");
    }
}
