package dev.jccl.env;

import dev.jccl.JcclConfig;

import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads what a rank needs to join a job from environment variables (see {@code docs/environment.md}).
 *
 * <p>The sets below are checked in order. A set is <em>present</em> when one of its marker variables is
 * set (non-blank); the first present set is used and must be complete, otherwise an
 * {@link IllegalArgumentException} names what is missing or invalid (a partial set never silently falls
 * through to the next one):
 * <ol>
 *   <li>{@value #SOURCE_JCCL}: markers {@code JCCL_RANK}, {@code JCCL_WORLD_SIZE}, {@code JCCL_LOCAL_RANK},
 *       {@code JCCL_LOCAL_WORLD_SIZE}; needs {@code JCCL_RANK}, {@code JCCL_WORLD_SIZE} and, when the world
 *       size is above 1, {@code JCCL_STORE};</li>
 *   <li>{@value #SOURCE_TORCHRUN}: markers {@code RANK}, {@code WORLD_SIZE}; needs both plus
 *       {@code MASTER_ADDR}/{@code MASTER_PORT} (or {@code JCCL_STORE}) when the world size is above 1;
 *       {@code LOCAL_RANK}, {@code LOCAL_WORLD_SIZE} optional;</li>
 *   <li>{@value #SOURCE_OPEN_MPI}: markers {@code OMPI_COMM_WORLD_RANK}, {@code OMPI_COMM_WORLD_SIZE};
 *       {@code OMPI_COMM_WORLD_LOCAL_RANK}, {@code OMPI_COMM_WORLD_LOCAL_SIZE} optional; store as for 2;</li>
 *   <li>{@value #SOURCE_MPICH}: markers {@code PMI_RANK}, {@code PMI_SIZE}; {@code MPI_LOCALRANKID},
 *       {@code MPI_LOCALNRANKS} optional; store as for 2;</li>
 *   <li>{@value #SOURCE_NONE}: no marker set at all; logged once at INFO.</li>
 * </ol>
 * In sets 2-4 {@code JCCL_STORE}, when set, takes precedence over {@code MASTER_ADDR}/{@code MASTER_PORT}
 * (so a JCCL store can live on another port than torchrun's own store).
 *
 * <p>Defaults: local rank = rank and local world size = world size when both are absent; when only the
 * local world size is given, local rank = rank mod local world size. Run id, when {@code JCCL_RUN_ID} is
 * absent, is {@code job-<store host>-<store port>-<world size>} (the same on every rank of a job), or
 * {@code default} without a store. Blank values count as absent.
 *
 * <p>The returned config is filled and checked but not concluded; call {@link JcclConfig#conclude()}.
 */
public final class EnvironmentContract
{
    public static final String SOURCE_JCCL = "JCCL_* (jcclrun)";
    public static final String SOURCE_TORCHRUN = "torchrun (RANK/WORLD_SIZE/MASTER_ADDR)";
    public static final String SOURCE_OPEN_MPI = "Open MPI (OMPI_COMM_WORLD_*)";
    public static final String SOURCE_MPICH = "MPICH/Hydra (PMI_RANK/PMI_SIZE)";
    /** Same text as {@link JcclConfig#singleRank()} uses. */
    public static final String SOURCE_NONE = "none (single rank)";

    public static final String JCCL_RANK = "JCCL_RANK";
    public static final String JCCL_WORLD_SIZE = "JCCL_WORLD_SIZE";
    public static final String JCCL_LOCAL_RANK = "JCCL_LOCAL_RANK";
    public static final String JCCL_LOCAL_WORLD_SIZE = "JCCL_LOCAL_WORLD_SIZE";
    public static final String JCCL_STORE = "JCCL_STORE";
    public static final String JCCL_RUN_ID = "JCCL_RUN_ID";
    public static final String JCCL_TOKEN_FILE = "JCCL_TOKEN_FILE";
    public static final String JCCL_TRANSPORT = "JCCL_TRANSPORT";
    public static final String JCCL_TIMEOUT = "JCCL_TIMEOUT";
    public static final String JCCL_HEARTBEAT_TIMEOUT = "JCCL_HEARTBEAT_TIMEOUT";
    public static final String JCCL_SOCKET_IFNAME = "JCCL_SOCKET_IFNAME";
    public static final String JCCL_ALGO = "JCCL_ALGO";
    public static final String JCCL_HOST_NAME = "JCCL_HOST_NAME";
    public static final String JCCL_KERNELS = "JCCL_KERNELS";
    public static final String MASTER_ADDR = "MASTER_ADDR";
    public static final String MASTER_PORT = "MASTER_PORT";

    private static final System.Logger LOG = System.getLogger(EnvironmentContract.class.getName());
    private static final AtomicBoolean SINGLE_RANK_LOGGED = new AtomicBoolean();

    /** One launcher convention: which variables carry rank, size, local rank and local size. */
    private record RankSet(String source, String rank, String size, String localRank, String localSize,
        boolean jcclStoreOnly, List<String> markers)
    {
    }

    private static final List<RankSet> SETS = List.of(
        new RankSet(SOURCE_JCCL, JCCL_RANK, JCCL_WORLD_SIZE, JCCL_LOCAL_RANK, JCCL_LOCAL_WORLD_SIZE, true,
            List.of(JCCL_RANK, JCCL_WORLD_SIZE, JCCL_LOCAL_RANK, JCCL_LOCAL_WORLD_SIZE)),
        new RankSet(SOURCE_TORCHRUN, "RANK", "WORLD_SIZE", "LOCAL_RANK", "LOCAL_WORLD_SIZE", false,
            List.of("RANK", "WORLD_SIZE")),
        new RankSet(SOURCE_OPEN_MPI, "OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE", "OMPI_COMM_WORLD_LOCAL_RANK",
            "OMPI_COMM_WORLD_LOCAL_SIZE", false, List.of("OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE")),
        new RankSet(SOURCE_MPICH, "PMI_RANK", "PMI_SIZE", "MPI_LOCALRANKID", "MPI_LOCALNRANKS", false,
            List.of("PMI_RANK", "PMI_SIZE")));

    private EnvironmentContract()
    {
    }

    /** {@link #fromEnvironment(Map)} over {@link System#getenv()}. */
    public static JcclConfig fromSystemEnvironment()
    {
        return fromEnvironment(System.getenv());
    }

    /**
     * Builds a config from the given variables.
     *
     * @param env variable name to value, e.g. {@link System#getenv()}.
     * @return a filled, not yet concluded config whose {@link JcclConfig#source()} names the set used.
     * @throws IllegalArgumentException naming each missing or invalid variable.
     */
    public static JcclConfig fromEnvironment(final Map<String, String> env)
    {
        Objects.requireNonNull(env, "env");
        RankSet chosen = null;
        for (final RankSet set : SETS)
        {
            for (final String marker : set.markers())
            {
                if (get(env, marker) != null)
                {
                    chosen = set;
                    break;
                }
            }
            if (chosen != null)
            {
                break;
            }
        }

        final JcclConfig config = new JcclConfig();
        if (chosen == null)
        {
            config.rank(0).worldSize(1).localRank(0).localWorldSize(1).source(SOURCE_NONE);
            final EnvironmentValues.Store store = parseStoreIfAny(env, false);
            if (store != null)
            {
                config.store(store.host(), store.port());
            }
            if (SINGLE_RANK_LOGGED.compareAndSet(false, true))
            {
                LOG.log(System.Logger.Level.INFO, "no rank variables (JCCL_RANK, RANK, OMPI_COMM_WORLD_RANK, PMI_RANK) " +
                    "set: running as a single rank");
            }
        }
        else
        {
            fillRanks(env, chosen, config);
        }
        fillCommon(env, config);
        return config;
    }

    private static void fillRanks(final Map<String, String> env, final RankSet set, final JcclConfig config)
    {
        final List<String> problems = new ArrayList<>();
        final String rankText = get(env, set.rank());
        final String sizeText = get(env, set.size());
        if (rankText == null)
        {
            problems.add(set.rank() + " is missing");
        }
        if (sizeText == null)
        {
            problems.add(set.size() + " is missing");
        }
        final int rank = rankText == null ? -1 : parseInt(set.rank(), rankText, 0, problems);
        final int size = sizeText == null ? -1 : parseInt(set.size(), sizeText, 1, problems);
        if (rank >= 0 && size >= 1 && rank >= size)
        {
            problems.add(set.rank() + "=" + rank + " must be below " + set.size() + "=" + size);
        }

        final String localRankText = get(env, set.localRank());
        final String localSizeText = get(env, set.localSize());
        int localRank = localRankText == null ? -1 : parseInt(set.localRank(), localRankText, 0, problems);
        int localSize = localSizeText == null ? -1 : parseInt(set.localSize(), localSizeText, 1, problems);
        if (localSize >= 1 && size >= 1 && localSize > size)
        {
            problems.add(set.localSize() + "=" + localSize + " must not exceed " + set.size() + "=" + size);
        }
        if (localRank >= 0 && localSize >= 1 && localRank >= localSize)
        {
            problems.add(set.localRank() + "=" + localRank + " must be below " + set.localSize() + "=" + localSize);
        }
        if (localRank >= 0 && localSize < 0 && size >= 1 && localRank >= size)
        {
            problems.add(set.localRank() + "=" + localRank + " must be below " + set.size() + "=" + size);
        }

        EnvironmentValues.Store store = null;
        try
        {
            store = parseStoreIfAny(env, set.jcclStoreOnly());
        }
        catch (final IllegalArgumentException ex)
        {
            problems.add(ex.getMessage());
        }
        if (store == null && size > 1 && problems.isEmpty())
        {
            problems.add(set.jcclStoreOnly() ?
                JCCL_STORE + " (host:port) is missing; it is required when " + set.size() + "=" + size + " > 1" :
                MASTER_ADDR + " and " + MASTER_PORT + " (or " + JCCL_STORE + ") are missing; they are required when " +
                    set.size() + "=" + size + " > 1");
        }
        if (!problems.isEmpty())
        {
            throw new IllegalArgumentException("incomplete or invalid " + set.source() + " environment: " +
                String.join("; ", problems));
        }

        if (localSize < 0)
        {
            localSize = size;
        }
        if (localRank < 0)
        {
            localRank = rank % localSize;
        }
        config.rank(rank).worldSize(size).localRank(localRank).localWorldSize(localSize).source(set.source());
        if (store != null)
        {
            config.store(store.host(), store.port());
        }
    }

    private static void fillCommon(final Map<String, String> env, final JcclConfig config)
    {
        final String runId = get(env, JCCL_RUN_ID);
        if (runId != null)
        {
            if (runId.getBytes(StandardCharsets.UTF_8).length > 255)
            {
                throw new IllegalArgumentException(JCCL_RUN_ID + " must be at most 255 bytes, got " +
                    runId.getBytes(StandardCharsets.UTF_8).length);
            }
            config.runId(runId);
        }
        else if (config.storeHost() != null)
        {
            config.runId(defaultRunId(config.storeHost(), config.storePort(), config.worldSize()));
        }

        final String tokenFile = get(env, JCCL_TOKEN_FILE);
        if (tokenFile != null)
        {
            try
            {
                config.tokenFile(Path.of(tokenFile));
            }
            catch (final InvalidPathException ex)
            {
                throw new IllegalArgumentException(JCCL_TOKEN_FILE + " is not a valid path: '" + tokenFile + "'", ex);
            }
        }

        final String transport = get(env, JCCL_TRANSPORT);
        if (transport != null)
        {
            final String t = transport.toLowerCase(Locale.ROOT);
            switch (t)
            {
                case "auto":
                case "tcp":
                case "shm":
                case "nccl":
                    config.transport(t);
                    break;
                default:
                    throw new IllegalArgumentException(JCCL_TRANSPORT + " must be one of auto, tcp, shm, nccl, got '" +
                        transport + "'");
            }
        }

        final String timeout = get(env, JCCL_TIMEOUT);
        if (timeout != null)
        {
            config.timeout(parseDuration(JCCL_TIMEOUT, timeout));
        }

        final String heartbeatTimeout = get(env, JCCL_HEARTBEAT_TIMEOUT);
        if (heartbeatTimeout != null)
        {
            config.heartbeatTimeout(parseDuration(JCCL_HEARTBEAT_TIMEOUT, heartbeatTimeout));
        }

        final String ifname = get(env, JCCL_SOCKET_IFNAME);
        if (ifname != null)
        {
            config.socketIfname(ifname);
        }

        final String hostName = get(env, JCCL_HOST_NAME);
        if (hostName != null)
        {
            config.hostName(hostName.trim());
        }

        final String algo = get(env, JCCL_ALGO);
        if (algo != null)
        {
            config.algo(algo);
        }

        final String kernels = get(env, JCCL_KERNELS);
        if (kernels != null)
        {
            final String k = kernels.toLowerCase(Locale.ROOT);
            if (!k.equals("java") && !k.equals("native") && !k.equals("auto"))
            {
                throw new IllegalArgumentException(JCCL_KERNELS + " must be one of java, native, auto, got '" + kernels + "'");
            }
            config.kernels(k);
        }
    }

    /**
     * The run id every rank of a job derives alike when {@code JCCL_RUN_ID} is absent.
     */
    public static String defaultRunId(final String storeHost, final int storePort, final int worldSize)
    {
        final String id = "job-" + storeHost + "-" + storePort + "-" + worldSize;
        if (id.getBytes(StandardCharsets.UTF_8).length <= 255)
        {
            return id;
        }
        try
        {
            final byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return "job-" + JobToken.toHex(digest);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Parses a duration: plain seconds ({@code "600"}), a number with a unit {@code ms}, {@code s}, {@code m},
     * {@code h} or {@code d} ({@code "500ms"}, {@code "30s"}, {@code "10m"}, {@code "1h"}), or ISO-8601
     * ({@code "PT10M"}); see {@link EnvironmentValues#parseDuration}.
     *
     * @param variable named in the error message.
     * @throws IllegalArgumentException for blank, malformed, zero or negative values.
     */
    public static Duration parseDuration(final String variable, final String value)
    {
        return EnvironmentValues.parseDuration(variable, value);
    }

    private static EnvironmentValues.Store parseStoreIfAny(final Map<String, String> env, final boolean jcclStoreOnly)
    {
        final String jcclStore = get(env, JCCL_STORE);
        if (jcclStore != null)
        {
            return EnvironmentValues.parseHostPort(JCCL_STORE, jcclStore);
        }
        if (jcclStoreOnly)
        {
            return null;
        }
        final String addr = get(env, MASTER_ADDR);
        final String port = get(env, MASTER_PORT);
        if (addr == null && port == null)
        {
            return null;
        }
        if (addr == null)
        {
            throw new IllegalArgumentException(MASTER_ADDR + " is missing (" + MASTER_PORT + "=" + port + " is set)");
        }
        if (port == null)
        {
            throw new IllegalArgumentException(MASTER_PORT + " is missing (" + MASTER_ADDR + "=" + addr + " is set)");
        }
        String host = addr;
        if (host.startsWith("[") && host.endsWith("]"))
        {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty())
        {
            throw new IllegalArgumentException(MASTER_ADDR + " has an empty host: '" + addr + "'");
        }
        return new EnvironmentValues.Store(host, EnvironmentValues.parsePort(MASTER_PORT, port, port));
    }

    private static int parseInt(final String variable, final String value, final int min, final List<String> problems)
    {
        try
        {
            final int n = Integer.parseInt(value);
            if (n >= min)
            {
                return n;
            }
        }
        catch (final NumberFormatException ignore)
        {
            // reported below
        }
        problems.add(variable + " must be an integer >= " + min + ", got '" + value + "'");
        return -1;
    }

    private static String get(final Map<String, String> env, final String name)
    {
        final String value = env.get(name);
        if (value == null)
        {
            return null;
        }
        final String trimmed = value.trim();
        return trimmed.isEmpty() ? null : trimmed;
    }
}
