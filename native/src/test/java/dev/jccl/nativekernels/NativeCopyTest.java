package dev.jccl.nativekernels;

import dev.jccl.kernel.Kernels;
import org.agrona.BufferUtil;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code copy}: memcpy from the threshold on, the JVM's copy below it; exact bytes, nothing outside the range touched. */
class NativeCopyTest
{
    private static final int GUARD = 64;

    @ParameterizedTest(name = "{0} bytes, source offset {1}, destination offset {2}")
    @CsvSource({
        "0, 0, 0", "1, 3, 5", "63, 1, 0", "8191, 0, 7", "8192, 0, 0", "8193, 5, 3", "131072, 0, 16", "1048579, 7, 1"})
    void copiesExactlyTheRangeOnEitherSideOfTheThreshold(final int bytes, final int srcOffset, final int dstOffset)
    {
        final NativeReduceKernels kernels = NativeReduceKernels.create(NativeReduceKernels.cpuIsa());
        final ByteBuffer src = ByteBuffer.allocateDirect(bytes + 2 * GUARD);
        final ByteBuffer dst = ByteBuffer.allocateDirect(bytes + 2 * GUARD);
        final SplittableRandom random = new SplittableRandom(bytes);
        for (int i = 0; i < src.capacity(); i++)
        {
            src.put(i, (byte)random.nextInt());
            dst.put(i, (byte)0x5A);
        }
        final int copied = Math.max(0, bytes - Math.max(srcOffset, dstOffset));
        kernels.copy(BufferUtil.address(dst) + GUARD + dstOffset, BufferUtil.address(src) + GUARD + srcOffset, copied);
        for (int i = 0; i < dst.capacity(); i++)
        {
            final int from = i - GUARD - dstOffset;
            final byte want = from >= 0 && from < copied ? src.get(GUARD + srcOffset + from) : (byte)0x5A;
            assertEquals(want, dst.get(i), "byte " + i);
        }
    }

    @ParameterizedTest(name = "{0} bytes")
    @CsvSource({"0", "100", "65536"})
    void javaKernelsCopyTheSameBytes(final int bytes)
    {
        final ByteBuffer src = ByteBuffer.allocateDirect(bytes + 1);
        final ByteBuffer dst = ByteBuffer.allocateDirect(bytes + 1);
        for (int i = 0; i < bytes; i++)
        {
            src.put(i, (byte)(i * 31));
        }
        dst.put(bytes, (byte)7);
        Kernels.java().copy(BufferUtil.address(dst), BufferUtil.address(src), bytes);
        for (int i = 0; i < bytes; i++)
        {
            assertEquals(src.get(i), dst.get(i), "byte " + i);
        }
        assertEquals(7, dst.get(bytes));
    }
}
