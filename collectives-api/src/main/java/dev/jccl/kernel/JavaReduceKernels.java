package dev.jccl.kernel;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;

/**
 * Pure-Java reduce kernels over off-heap memory: the reference every other implementation must
 * match bit for bit, and the fallback when no native kernels load.
 *
 * <ul>
 *   <li>Integers: SUM and PROD wrap (two's complement; unsigned PROD has the same bits as signed);
 *       MIN and MAX compare unsigned for UINT8, UINT32 and UINT64.</li>
 *   <li>FLOAT32/FLOAT64: IEEE arithmetic in the type; MIN/MAX follow {@link Math#min(float, float)}
 *       (a NaN operand gives NaN, -0.0 &lt; +0.0).</li>
 *   <li>FLOAT16/BFLOAT16: widened to float, combined in float, rounded back to nearest-even per
 *       element ({@link Float16}, {@link BFloat16}).</li>
 *   <li>AVG reduces as SUM; {@link #divide} finishes it.</li>
 * </ul>
 *
 * <p>Addresses may be unaligned; elements are in native byte order. Each call dispatches once on
 * type and op to a tight per-type loop; nothing is allocated. Stateless and thread-safe.
 */
public final class JavaReduceKernels implements ReduceKernels
{
    /** Name used in logs and by {@code JCCL_KERNELS=java}. */
    public static final String NAME = "java";

    /** The one instance. */
    public static final JavaReduceKernels INSTANCE = new JavaReduceKernels();

    private JavaReduceKernels()
    {
    }

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public void reduce(final DataType type, final ReduceOp op, final long dstAddress, final long srcAddress, final long count)
    {
        reduce(type, op, dstAddress, dstAddress, srcAddress, count);
    }

    @Override
    public void reduce(
        final DataType type, final ReduceOp op, final long dstAddress, final long aAddress, final long bAddress, final long count)
    {
        if (op == null)
        {
            throw new NullPointerException("op");
        }
        checkCount(count);
        switch (type)
        {
            case INT8:
                Int8Kernels.reduce(false, op, dstAddress, aAddress, bAddress, count);
                break;
            case UINT8:
                Int8Kernels.reduce(true, op, dstAddress, aAddress, bAddress, count);
                break;
            case INT32:
                Int32Kernels.reduce(false, op, dstAddress, aAddress, bAddress, count);
                break;
            case UINT32:
                Int32Kernels.reduce(true, op, dstAddress, aAddress, bAddress, count);
                break;
            case INT64:
                Int64Kernels.reduce(false, op, dstAddress, aAddress, bAddress, count);
                break;
            case UINT64:
                Int64Kernels.reduce(true, op, dstAddress, aAddress, bAddress, count);
                break;
            case FLOAT16:
                HalfKernels.reduceFloat16(op, dstAddress, aAddress, bAddress, count);
                break;
            case BFLOAT16:
                HalfKernels.reduceBFloat16(op, dstAddress, aAddress, bAddress, count);
                break;
            case FLOAT32:
                FloatKernels.reduce32(op, dstAddress, aAddress, bAddress, count);
                break;
            case FLOAT64:
                FloatKernels.reduce64(op, dstAddress, aAddress, bAddress, count);
                break;
            default:
                throw new IllegalArgumentException("unsupported type " + type);
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when {@code divisor} is not positive (it is a world size).
     */
    @Override
    public void divide(final DataType type, final long address, final long count, final int divisor)
    {
        checkCount(count);
        if (divisor <= 0)
        {
            throw new IllegalArgumentException("divisor must be positive, got " + divisor);
        }
        switch (type)
        {
            case INT8:
                Int8Kernels.divide(false, address, count, divisor);
                break;
            case UINT8:
                Int8Kernels.divide(true, address, count, divisor);
                break;
            case INT32:
                Int32Kernels.divide(false, address, count, divisor);
                break;
            case UINT32:
                Int32Kernels.divide(true, address, count, divisor);
                break;
            case INT64:
                Int64Kernels.divide(false, address, count, divisor);
                break;
            case UINT64:
                Int64Kernels.divide(true, address, count, divisor);
                break;
            case FLOAT16:
                HalfKernels.divideFloat16(address, count, divisor);
                break;
            case BFLOAT16:
                HalfKernels.divideBFloat16(address, count, divisor);
                break;
            case FLOAT32:
                FloatKernels.divide32(address, count, divisor);
                break;
            case FLOAT64:
                FloatKernels.divide64(address, count, divisor);
                break;
            default:
                throw new IllegalArgumentException("unsupported type " + type);
        }
    }

    @Override
    public String toString()
    {
        return "JavaReduceKernels";
    }

    private static void checkCount(final long count)
    {
        if (count < 0)
        {
            throw new IllegalArgumentException("count must not be negative, got " + count);
        }
    }
}
