package dev.jccl;

/**
 * Reduction operators, numbered as NCCL's {@code ncclRedOp_t}.
 *
 * <p>MIN and MAX on floating-point types follow {@link Math#min(float, float)}: a NaN in either
 * operand gives NaN, and -0.0 is less than +0.0. Every rank applies the same rule, so results
 * stay bit-identical across ranks. AVG reduces as SUM and divides by the world size once at the
 * end; for integer types that is the truncated quotient of the wrapped sum, as NCCL does.
 */
public enum ReduceOp
{
    SUM(0),
    PROD(1),
    MAX(2),
    MIN(3),
    AVG(4);

    private static final ReduceOp[] BY_ID = { SUM, PROD, MAX, MIN, AVG };

    private final int id;

    ReduceOp(final int id)
    {
        this.id = id;
    }

    /** NCCL's {@code ncclRedOp_t} value, also used on the wire. */
    public int id()
    {
        return id;
    }

    /**
     * @param id a wire or NCCL id.
     * @return the op, or null when the id names none.
     */
    public static ReduceOp fromId(final int id)
    {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }
}
