package dev.jccl.nccl;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;
import org.bytedeco.cuda.global.nccl;

import java.util.Arrays;

/**
 * The one table between JCCL's element types and reduce ops and NCCL's {@code ncclDataType_t} /
 * {@code ncclRedOp_t}, with the NCCL version each combination needs. Every collective goes
 * through {@link #check} before any CUDA or NCCL call, so an unsupported combination fails with
 * {@link IllegalArgumentException} on the calling rank.
 *
 * <p>The {@code nccl.*} values used here are compile-time constants: reading them loads no
 * native library.
 */
public final class NcclTypes
{
    /** NCCL version code as {@code ncclGetVersion} reports it: major*10000 + minor*100 + patch (2.9+). */
    public static int versionCode(final int major, final int minor, final int patch)
    {
        return major * 10000 + minor * 100 + patch;
    }

    /** ncclAvg and ncclBfloat16 arrived in NCCL 2.10. */
    public static final int NCCL_2_10 = versionCode(2, 10, 0);

    /** NCCL types with no JCCL element type (refused when read back, never produced). */
    static final int[] UNMAPPED_NCCL_TYPES = { nccl.ncclFloat8e4m3, nccl.ncclFloat8e5m2 };

    private static final int[] TO_NCCL_TYPE = new int[DataType.values().length];
    private static final DataType[] FROM_NCCL_TYPE = new DataType[nccl.ncclNumTypes];
    private static final int[] TO_NCCL_OP = new int[ReduceOp.values().length];
    private static final ReduceOp[] FROM_NCCL_OP = new ReduceOp[nccl.ncclNumOps];
    /** [type][op] = minimum NCCL version code, or 0 when the combination is not supported. */
    private static final int[][] MIN_VERSION = new int[DataType.values().length][ReduceOp.values().length];

    static
    {
        Arrays.fill(TO_NCCL_TYPE, -1);
        Arrays.fill(TO_NCCL_OP, -1);
        type(DataType.INT8, nccl.ncclInt8);
        type(DataType.UINT8, nccl.ncclUint8);
        type(DataType.INT32, nccl.ncclInt32);
        type(DataType.UINT32, nccl.ncclUint32);
        type(DataType.INT64, nccl.ncclInt64);
        type(DataType.UINT64, nccl.ncclUint64);
        type(DataType.FLOAT16, nccl.ncclFloat16);
        type(DataType.FLOAT32, nccl.ncclFloat32);
        type(DataType.FLOAT64, nccl.ncclFloat64);
        type(DataType.BFLOAT16, nccl.ncclBfloat16);
        op(ReduceOp.SUM, nccl.ncclSum);
        op(ReduceOp.PROD, nccl.ncclProd);
        op(ReduceOp.MAX, nccl.ncclMax);
        op(ReduceOp.MIN, nccl.ncclMin);
        op(ReduceOp.AVG, nccl.ncclAvg);
        for (final DataType type : DataType.values())
        {
            for (final ReduceOp op : ReduceOp.values())
            {
                // Every type reduces with every op; bf16 and ncclAvg (integers: sum then truncating
                // divide, as ReduceOp documents) need 2.10.
                MIN_VERSION[type.ordinal()][op.ordinal()] =
                    type == DataType.BFLOAT16 || op == ReduceOp.AVG ? NCCL_2_10 : versionCode(2, 0, 0);
            }
        }
    }

    private NcclTypes()
    {
    }

    private static void type(final DataType type, final int ncclType)
    {
        TO_NCCL_TYPE[type.ordinal()] = ncclType;
        FROM_NCCL_TYPE[ncclType] = type;
    }

    private static void op(final ReduceOp op, final int ncclOp)
    {
        TO_NCCL_OP[op.ordinal()] = ncclOp;
        FROM_NCCL_OP[ncclOp] = op;
    }

    /** {@code ncclDataType_t} for a JCCL type. */
    public static int ncclType(final DataType type)
    {
        if (type == null)
        {
            throw new IllegalArgumentException("data type is null");
        }
        return TO_NCCL_TYPE[type.ordinal()];
    }

    /** {@code ncclRedOp_t} for a JCCL op. */
    public static int ncclOp(final ReduceOp op)
    {
        if (op == null)
        {
            throw new IllegalArgumentException("reduce op is null");
        }
        return TO_NCCL_OP[op.ordinal()];
    }

    /** The JCCL type for an {@code ncclDataType_t}, or null where JCCL has none (fp8) or the id is unknown. */
    public static DataType dataType(final int ncclType)
    {
        return ncclType >= 0 && ncclType < FROM_NCCL_TYPE.length ? FROM_NCCL_TYPE[ncclType] : null;
    }

    /** The JCCL op for an {@code ncclRedOp_t}, or null for custom (premul-sum) and unknown ops. */
    public static ReduceOp reduceOp(final int ncclOp)
    {
        return ncclOp >= 0 && ncclOp < FROM_NCCL_OP.length ? FROM_NCCL_OP[ncclOp] : null;
    }

    /** Whether NCCL {@code ncclVersion} (a {@link #versionCode} value) reduces {@code type} with {@code op}. */
    public static boolean supports(final DataType type, final ReduceOp op, final int ncclVersion)
    {
        if (type == null || op == null)
        {
            return false;
        }
        final int min = MIN_VERSION[type.ordinal()][op.ordinal()];
        return min != 0 && ncclVersion >= min;
    }

    /** Whether NCCL {@code ncclVersion} moves {@code type} at all (broadcast, allgather). */
    public static boolean supports(final DataType type, final int ncclVersion)
    {
        return type != null && ncclVersion >= (type == DataType.BFLOAT16 ? NCCL_2_10 : versionCode(2, 0, 0));
    }

    /**
     * Checks a reduction before any call.
     *
     * @throws IllegalArgumentException naming the type, op and the NCCL version at hand.
     */
    public static void check(final DataType type, final ReduceOp op, final int ncclVersion)
    {
        if (type == null)
        {
            throw new IllegalArgumentException("data type is null");
        }
        if (op == null)
        {
            throw new IllegalArgumentException("reduce op is null");
        }
        if (!supports(type, op, ncclVersion))
        {
            throw new IllegalArgumentException("NCCL " + versionString(ncclVersion) + " cannot reduce " + type + " with " + op +
                " (needs NCCL " + versionString(MIN_VERSION[type.ordinal()][op.ordinal()]) + " or newer)");
        }
    }

    /** Checks a data movement (no reduction) before any call. */
    public static void check(final DataType type, final int ncclVersion)
    {
        if (type == null)
        {
            throw new IllegalArgumentException("data type is null");
        }
        if (!supports(type, ncclVersion))
        {
            throw new IllegalArgumentException("NCCL " + versionString(ncclVersion) + " cannot move " + type + " (needs NCCL 2.10.0 or newer)");
        }
    }

    /** "2.29.3" for 22903. */
    public static String versionString(final int code)
    {
        return code / 10000 + "." + code / 100 % 100 + "." + code % 100;
    }
}
