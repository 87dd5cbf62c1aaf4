package dev.jccl;

/**
 * Element types a collective can move and reduce: NCCL's set, with NCCL's enum ids so the
 * wire header and the NCCL transport share one numbering.
 */
public enum DataType
{
    INT8(0, 1, false, true),
    UINT8(1, 1, false, false),
    INT32(2, 4, false, true),
    UINT32(3, 4, false, false),
    INT64(4, 8, false, true),
    UINT64(5, 8, false, false),
    FLOAT16(6, 2, true, true),
    FLOAT32(7, 4, true, true),
    FLOAT64(8, 8, true, true),
    BFLOAT16(9, 2, true, true);

    private static final DataType[] BY_ID = new DataType[10];

    static
    {
        for (final DataType t : values())
        {
            BY_ID[t.id] = t;
        }
    }

    private final int id;
    private final int size;
    private final boolean floatingPoint;
    private final boolean signed;

    DataType(final int id, final int size, final boolean floatingPoint, final boolean signed)
    {
        this.id = id;
        this.size = size;
        this.floatingPoint = floatingPoint;
        this.signed = signed;
    }

    /** NCCL's {@code ncclDataType_t} value, also used on the wire. */
    public int id()
    {
        return id;
    }

    /** Size of one element in bytes. */
    public int size()
    {
        return size;
    }

    public boolean isFloatingPoint()
    {
        return floatingPoint;
    }

    public boolean isSigned()
    {
        return signed;
    }

    /**
     * @param id a wire or NCCL id.
     * @return the type, or null when the id names none (callers treat that as a protocol error).
     */
    public static DataType fromId(final int id)
    {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }
}
