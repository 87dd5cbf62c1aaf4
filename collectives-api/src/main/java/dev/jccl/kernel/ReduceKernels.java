package dev.jccl.kernel;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;
import org.agrona.UnsafeApi;

/**
 * Element-wise reduction over off-heap memory. Implementations: {@link JavaReduceKernels} (always
 * present) and the JNI kernels of the {@code native} module, found through {@link ReduceKernelsProvider}.
 *
 * <p>Addresses may be unaligned. {@link ReduceOp#AVG} reduces as {@link ReduceOp#SUM}; the caller
 * finishes it with {@link #divide}. Every implementation is bit-identical to the Java kernels.
 */
public interface ReduceKernels
{
    /** Short name for logs and {@code JCCL_KERNELS}: "java" or "native". */
    String name();

    /** {@code dst[i] = op(dst[i], src[i])} for {@code count} elements. */
    void reduce(DataType type, ReduceOp op, long dstAddress, long srcAddress, long count);

    /** {@code dst[i] = op(a[i], b[i])} for {@code count} elements; dst may equal a or b. */
    void reduce(DataType type, ReduceOp op, long dstAddress, long aAddress, long bAddress, long count);

    /**
     * {@code x[i] = x[i] / divisor}: the last step of AVG. Integers: truncated quotient (signed or
     * unsigned as the type is); floating point: computed in float/double, rounded to the type.
     */
    void divide(DataType type, long address, long count, int divisor);

    /**
     * Copies {@code bytes} from {@code srcAddress} to {@code dstAddress}; the ranges must not
     * overlap. The JVM's copy by default; the native kernels hand large copies to the C library's
     * memcpy, which matters where the destination's cache lines were last read by another core (a
     * shared-memory ring): the JVM's vector-by-vector stores first fetch each such line, memcpy
     * writes whole lines without reading them (see native/README.md).
     */
    default void copy(final long dstAddress, final long srcAddress, final long bytes)
    {
        UnsafeApi.copyMemory(srcAddress, dstAddress, bytes);
    }
}
