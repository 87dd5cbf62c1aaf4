package dev.jccl.launcher;

import dev.jccl.launcher.plan.RankSlot;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The variables each rank gets (DESIGN.md, "Environment contract"): the {@code JCCL_*} set, the
 * torchrun set and the Open MPI set, on top of the {@code -x} exports. {@code JCCL_TOKEN_FILE} is
 * added by whoever starts the rank, because the file lives on the rank's host.
 */
public final class RankEnvironment
{
    public static final String TOKEN_FILE = "JCCL_TOKEN_FILE";
    public static final String HOST_NAME = "JCCL_HOST_NAME";
    public static final String LOCAL_RANK = "JCCL_LOCAL_RANK";
    public static final String LOCAL_WORLD_SIZE = "JCCL_LOCAL_WORLD_SIZE";

    private RankEnvironment()
    {
    }

    public static Map<String, String> of(
        final RankSlot slot, final int worldSize, final String storeHost, final int storePort, final String runId,
        final Map<String, String> exports)
    {
        final Map<String, String> env = new LinkedHashMap<>(exports);
        final String rank = Integer.toString(slot.rank());
        final String size = Integer.toString(worldSize);
        final String localRank = Integer.toString(slot.localRank());
        final String localSize = Integer.toString(slot.localWorldSize());
        final String port = Integer.toString(storePort);
        env.put("JCCL_RANK", rank);
        env.put("JCCL_WORLD_SIZE", size);
        env.put(LOCAL_RANK, localRank);
        env.put(LOCAL_WORLD_SIZE, localSize);
        env.put("JCCL_STORE", (storeHost.indexOf(':') >= 0 ? "[" + storeHost + "]" : storeHost) + ":" + port);
        env.put("JCCL_RUN_ID", runId);
        env.put("RANK", rank);
        env.put("WORLD_SIZE", size);
        env.put("LOCAL_RANK", localRank);
        env.put("LOCAL_WORLD_SIZE", localSize);
        env.put("MASTER_ADDR", storeHost);
        env.put("MASTER_PORT", port);
        env.put("OMPI_COMM_WORLD_RANK", rank);
        env.put("OMPI_COMM_WORLD_SIZE", size);
        env.put("OMPI_COMM_WORLD_LOCAL_RANK", localRank);
        env.put("OMPI_COMM_WORLD_LOCAL_SIZE", localSize);
        return env;
    }

    /**
     * {@link #of} for a job that lists several hosts: each rank also publishes its host as the
     * hostfile names it ({@code JCCL_HOST_NAME}, unless {@code -x} set one), so the ranks group by
     * host as the launcher does, even where two hostfile lines reach one machine (127.0.0.2 and
     * 127.0.0.3 in tests). A one-host job keeps the machine's own name.
     */
    public static Map<String, String> ofHostOfMany(
        final RankSlot slot, final int worldSize, final String storeHost, final int storePort, final String runId,
        final Map<String, String> exports)
    {
        final Map<String, String> env = of(slot, worldSize, storeHost, storePort, runId, exports);
        env.putIfAbsent(HOST_NAME, slot.host());
        return env;
    }

    /**
     * Resolves {@code -x} values: {@code VAR=value} as given, {@code VAR} from {@code launcherEnv}
     * (skipped, with a warning through {@code warn}, when unset there).
     */
    public static Map<String, String> exports(
        final Iterable<String> xs, final Map<String, String> launcherEnv, final java.util.function.Consumer<String> warn)
    {
        final Map<String, String> out = new LinkedHashMap<>();
        for (final String x : xs)
        {
            final int eq = x.indexOf('=');
            if (eq >= 0)
            {
                out.put(x.substring(0, eq), x.substring(eq + 1));
            }
            else if (launcherEnv.containsKey(x))
            {
                out.put(x, launcherEnv.get(x));
            }
            else
            {
                warn.accept("-x " + x + ": not set in jcclrun's environment; not exported");
            }
        }
        return out;
    }
}
