package dev.jccl.bench;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RowCallsTest
{
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 8, 9, 16, 17, 499, 1000})
    void untimedMakesExactlyTheCallsAskedForWhateverTheChunking(final int count)
    {
        final int[] calls = new int[1];
        RowCalls.untimed(() -> calls[0]++, count);
        assertEquals(count, calls[0]);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2000})
    void timedMakesExactlyTheCallsAskedFor(final int count)
    {
        final int[] calls = new int[1];
        RowCalls.timed(() -> calls[0]++, count);
        assertEquals(count, calls[0]);
    }
}
