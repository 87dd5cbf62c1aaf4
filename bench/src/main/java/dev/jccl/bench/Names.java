package dev.jccl.bench;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/** nccl-tests' names for types and ops, both ways. */
public final class Names
{
    /** nccl-tests' order for "-d all". */
    static final List<DataType> ALL_TYPES = List.of(
        DataType.INT8, DataType.UINT8, DataType.INT32, DataType.UINT32, DataType.INT64, DataType.UINT64,
        DataType.FLOAT16, DataType.FLOAT32, DataType.FLOAT64, DataType.BFLOAT16);
    /** nccl-tests' order for "-o all". */
    static final List<ReduceOp> ALL_OPS = List.of(ReduceOp.SUM, ReduceOp.PROD, ReduceOp.MAX, ReduceOp.MIN, ReduceOp.AVG);

    private Names()
    {
    }

    /** The name nccl-tests prints in the type column. */
    public static String typeName(final DataType type)
    {
        if (type == null)
        {
            return "none";
        }
        switch (type)
        {
            case INT8: return "int8";
            case UINT8: return "uint8";
            case INT32: return "int32";
            case UINT32: return "uint32";
            case INT64: return "int64";
            case UINT64: return "uint64";
            case FLOAT16: return "half";
            case FLOAT32: return "float";
            case FLOAT64: return "double";
            case BFLOAT16: return "bfloat16";
            default: throw new IllegalArgumentException(type.toString());
        }
    }

    /** The name nccl-tests prints in the redop column ("none" for collectives without one). */
    public static String opName(final ReduceOp op)
    {
        return op == null ? "none" : op.name().toLowerCase(Locale.ROOT);
    }

    public static DataType parseType(final String text)
    {
        switch (text.trim().toLowerCase(Locale.ROOT))
        {
            case "int8": case "char": return DataType.INT8;
            case "uint8": return DataType.UINT8;
            case "int32": case "int": return DataType.INT32;
            case "uint32": return DataType.UINT32;
            case "int64": return DataType.INT64;
            case "uint64": return DataType.UINT64;
            case "half": case "float16": case "fp16": return DataType.FLOAT16;
            case "float": case "float32": case "fp32": return DataType.FLOAT32;
            case "double": case "float64": case "fp64": return DataType.FLOAT64;
            case "bfloat16": case "bf16": return DataType.BFLOAT16;
            default:
                throw new UsageException("unknown data type '" + text +
                    "' (use float half bfloat16 double int8 uint8 int32 uint32 int64 uint64 or all)");
        }
    }

    public static ReduceOp parseOp(final String text)
    {
        switch (text.trim().toLowerCase(Locale.ROOT))
        {
            case "sum": return ReduceOp.SUM;
            case "prod": return ReduceOp.PROD;
            case "max": return ReduceOp.MAX;
            case "min": return ReduceOp.MIN;
            case "avg": return ReduceOp.AVG;
            default:
                throw new UsageException("unknown reduction op '" + text + "' (use sum prod min max avg or all)");
        }
    }

    /** "-d float", "-d all" or a comma list "-d float,half". */
    public static List<DataType> parseTypes(final String text)
    {
        if (text.trim().equalsIgnoreCase("all"))
        {
            return ALL_TYPES;
        }
        final LinkedHashSet<DataType> types = new LinkedHashSet<>();
        for (final String part : text.split(","))
        {
            types.add(parseType(part));
        }
        return List.copyOf(types);
    }

    /** "-o sum", "-o all" or a comma list "-o sum,max". */
    public static List<ReduceOp> parseOps(final String text)
    {
        if (text.trim().equalsIgnoreCase("all"))
        {
            return ALL_OPS;
        }
        final LinkedHashSet<ReduceOp> ops = new LinkedHashSet<>();
        for (final String part : text.split(","))
        {
            ops.add(parseOp(part));
        }
        return List.copyOf(ops);
    }

    static List<String> splitList(final String text)
    {
        final List<String> out = new ArrayList<>();
        for (final String part : Arrays.asList(text.split(",")))
        {
            if (!part.isBlank())
            {
                out.add(part.trim());
            }
        }
        return out;
    }
}
