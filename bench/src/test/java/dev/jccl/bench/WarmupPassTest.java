package dev.jccl.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WarmupPassTest
{
    @Test
    void smallSizesGetTheMostCallsAndLargeOnesAtLeastMinusW()
    {
        assertEquals(WarmupPass.MAX_CALLS, WarmupPass.calls(0, 5));
        assertEquals(WarmupPass.MAX_CALLS, WarmupPass.calls(8, 5));
        assertEquals(WarmupPass.MAX_CALLS, WarmupPass.calls(64 * 1024, 5));
        assertEquals(64, WarmupPass.calls(1 << 20, 5));
        assertEquals(5, WarmupPass.calls(256L << 20, 5), "never fewer than -w");
        assertEquals(2000, WarmupPass.calls(8, 2000), "a -w above the cap wins");
    }

    @Test
    void minusWZeroMeansNoPass()
    {
        assertEquals(0, WarmupPass.calls(8, 0));
        assertEquals(0, WarmupPass.calls(1 << 20, 0));
    }

    @Test
    void thePassCoversTheSizesUpToOneMebibyteOrElseTheFirst()
    {
        assertEquals(List.of(8L, 64L, 512L, 4096L, 32768L, 262144L),
            WarmupPass.sizes(List.of(8L, 64L, 512L, 4096L, 32768L, 262144L, 2097152L, 16777216L)));
        assertEquals(List.of(16L << 20), WarmupPass.sizes(List.of(16L << 20, 64L << 20)));
        assertEquals(List.of(8L), WarmupPass.sizes(List.of(8L, 8L)));
        assertEquals(List.of(), WarmupPass.sizes(List.of()));
    }
}
