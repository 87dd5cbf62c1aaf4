package dev.jccl.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SizesTest
{
    @Test
    void parsesPlainNumbersAndBinarySuffixes()
    {
        assertEquals(8, Sizes.parse("8"));
        assertEquals(64 * 1024, Sizes.parse("64K"));
        assertEquals(64 * 1024, Sizes.parse("64k"));
        assertEquals(1 << 20, Sizes.parse("1M"));
        assertEquals(256L << 20, Sizes.parse("256M"));
        assertEquals(2L << 30, Sizes.parse("2G"));
        assertEquals(1 << 20, Sizes.parse("1MB"));
    }

    @Test
    void rejectsTextThatIsNotASize()
    {
        assertThrows(UsageException.class, () -> Sizes.parse("abc"));
        assertThrows(UsageException.class, () -> Sizes.parse("-8"));
        assertThrows(UsageException.class, () -> Sizes.parse(""));
        assertThrows(UsageException.class, () -> Sizes.parse("1X"));
    }

    @Test
    void multipliesByTheFactorUpToTheMaximumInclusive()
    {
        assertEquals(List.of(8L, 16L, 32L, 64L), Sizes.series(8, 64, 2, 1 << 20));
        assertEquals(List.of(8L, 32L, 128L), Sizes.series(8, 200, 4, 1));
    }

    @Test
    void addsTheIncrementWhenThereIsNoFactor()
    {
        assertEquals(List.of(1024L, 2048L, 3072L, 4096L), Sizes.series(1024, 4096, 1, 1024));
    }

    @Test
    void aSingleSizeWhenMinimumEqualsMaximum()
    {
        assertEquals(List.of(32L << 20), Sizes.series(32L << 20, 32L << 20, 1, 1 << 20));
    }

    @Test
    void aZeroMinimumWithAFactorStillTerminates()
    {
        assertEquals(List.of(0L, 1L, 2L, 4L), Sizes.series(0, 4, 2, 1));
    }

    @Test
    void rejectsAMinimumAboveTheMaximum()
    {
        assertThrows(UsageException.class, () -> Sizes.series(64, 8, 2, 1));
    }

    @Test
    void formatsExactMultiplesShort()
    {
        assertEquals("8B", Sizes.format(8));
        assertEquals("64K", Sizes.format(65536));
        assertEquals("1M", Sizes.format(1 << 20));
        assertEquals("1536B", Sizes.format(1536));
        assertEquals("2G", Sizes.format(2L << 30));
    }
}
