package dev.jccl.bench;

import java.util.List;

/** The subcommands and their collectives. */
public final class PerfColls
{
    private PerfColls()
    {
    }

    public static List<PerfColl> all()
    {
        return List.of(new AllReduceColl(), new AllGatherColl(), new BroadcastColl(), new ReduceScatterColl(),
            new ReduceColl(), new BarrierColl());
    }

    /** @param name a normalised subcommand ("all_reduce"). */
    public static PerfColl byName(final String name)
    {
        for (final PerfColl coll : all())
        {
            if (coll.name().equals(name))
            {
                return coll;
            }
        }
        throw new UsageException("unknown collective '" + name + "'");
    }
}
