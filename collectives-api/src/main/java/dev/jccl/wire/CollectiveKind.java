package dev.jccl.wire;

/** Which collective a message belongs to; carried in every header. */
public enum CollectiveKind
{
    ALL_REDUCE(1, "allReduce"),
    BROADCAST(2, "broadcast"),
    ALL_GATHER(3, "allGather"),
    REDUCE_SCATTER(4, "reduceScatter"),
    REDUCE(5, "reduce"),
    BARRIER(6, "barrier");

    private static final CollectiveKind[] BY_ID = { null, ALL_REDUCE, BROADCAST, ALL_GATHER, REDUCE_SCATTER, REDUCE, BARRIER };

    private final int id;
    private final String apiName;

    CollectiveKind(final int id, final String apiName)
    {
        this.id = id;
        this.apiName = apiName;
    }

    public int id()
    {
        return id;
    }

    /** The API method's name, for messages. */
    public String apiName()
    {
        return apiName;
    }

    /** @return the kind, or null when the id names none. */
    public static CollectiveKind fromId(final int id)
    {
        return id > 0 && id < BY_ID.length ? BY_ID[id] : null;
    }
}
