package dev.jccl;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything a rank needs to join a job (Aeron's Context style): fill with setters or from the
 * environment ({@link dev.jccl.env.EnvironmentContract}), then {@link #conclude()} validates once
 * and the communicator keeps the concluded copy. Every field matches one environment variable.
 */
public final class JcclConfig
{
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    public static final String DEFAULT_TRANSPORT = "auto";
    /**
     * How long a peer this rank waits on may stay silent (no data, no heartbeat) before it counts
     * as dead: long enough for a GC pause or a slow reduce step, far shorter than the timeout.
     */
    public static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(30);
    /** Heartbeats go out at a quarter of the timeout, at most once a second; below this they would be noise. */
    public static final long MIN_HEARTBEAT_TIMEOUT_MS = 200;

    private int rank = -1;
    private int worldSize = -1;
    private int localRank = -1;
    private int localWorldSize = -1;
    private String storeHost;
    private int storePort = -1;
    private String runId = "default";
    private Path tokenFile;
    private byte[] token;
    private String transport = DEFAULT_TRANSPORT;
    private Duration timeout = DEFAULT_TIMEOUT;
    private Duration heartbeatTimeout = DEFAULT_HEARTBEAT_TIMEOUT;
    private String socketIfname;
    private String hostName;
    private String algo;
    private String kernels;
    private String source = "explicit";
    private boolean concluded;

    /** A single-rank job needing no store: what {@code Jccl.init()} builds with no environment. */
    public static JcclConfig singleRank()
    {
        return new JcclConfig().rank(0).worldSize(1).localRank(0).localWorldSize(1).source("none (single rank)");
    }

    /**
     * Validates and fills defaults; idempotent.
     *
     * @throws IllegalArgumentException naming the field (and its environment variable) that is wrong.
     */
    public JcclConfig conclude()
    {
        if (concluded)
        {
            return this;
        }
        if (worldSize < 1)
        {
            throw new IllegalArgumentException("world size (JCCL_WORLD_SIZE) must be >= 1, got " + worldSize);
        }
        if (rank < 0 || rank >= worldSize)
        {
            throw new IllegalArgumentException("rank (JCCL_RANK) must be in [0, " + worldSize + "), got " + rank);
        }
        if (localWorldSize < 0)
        {
            localWorldSize = worldSize;
        }
        if (localRank < 0)
        {
            localRank = rank % localWorldSize;
        }
        if (localRank >= localWorldSize)
        {
            throw new IllegalArgumentException("local rank (JCCL_LOCAL_RANK) " + localRank +
                " must be below local world size (JCCL_LOCAL_WORLD_SIZE) " + localWorldSize);
        }
        if (worldSize > 1)
        {
            if (storeHost == null || storeHost.isEmpty())
            {
                throw new IllegalArgumentException("store host (JCCL_STORE or MASTER_ADDR) is required when world size > 1");
            }
            if (storePort < 1 || storePort > 65535)
            {
                throw new IllegalArgumentException("store port (JCCL_STORE or MASTER_PORT) must be 1-65535, got " + storePort);
            }
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero())
        {
            throw new IllegalArgumentException("timeout (JCCL_TIMEOUT) must be positive, got " + timeout);
        }
        if (heartbeatTimeout == null || heartbeatTimeout.toMillis() < MIN_HEARTBEAT_TIMEOUT_MS)
        {
            throw new IllegalArgumentException("heartbeat timeout (JCCL_HEARTBEAT_TIMEOUT) must be at least " +
                MIN_HEARTBEAT_TIMEOUT_MS + "ms, got " + heartbeatTimeout);
        }
        switch (transport)
        {
            case "auto":
            case "tcp":
            case "shm":
            case "nccl":
                break;
            default:
                throw new IllegalArgumentException("transport (JCCL_TRANSPORT) must be auto, tcp, shm or nccl, got '" + transport + "'");
        }
        if (kernels != null && !kernels.equals("java") && !kernels.equals("native") && !kernels.equals("auto"))
        {
            throw new IllegalArgumentException("kernels (JCCL_KERNELS) must be java, native or auto, got '" + kernels + "'");
        }
        if (runId == null || runId.isEmpty() || runId.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255)
        {
            throw new IllegalArgumentException("run id (JCCL_RUN_ID) must be 1-255 bytes, got '" + runId + "'");
        }
        concluded = true;
        return this;
    }

    private void checkMutable()
    {
        if (concluded)
        {
            throw new IllegalStateException("JcclConfig already concluded");
        }
    }

    public int rank()
    {
        return rank;
    }

    public JcclConfig rank(final int rank)
    {
        checkMutable();
        this.rank = rank;
        return this;
    }

    public int worldSize()
    {
        return worldSize;
    }

    public JcclConfig worldSize(final int worldSize)
    {
        checkMutable();
        this.worldSize = worldSize;
        return this;
    }

    public int localRank()
    {
        return localRank;
    }

    public JcclConfig localRank(final int localRank)
    {
        checkMutable();
        this.localRank = localRank;
        return this;
    }

    public int localWorldSize()
    {
        return localWorldSize;
    }

    public JcclConfig localWorldSize(final int localWorldSize)
    {
        checkMutable();
        this.localWorldSize = localWorldSize;
        return this;
    }

    public String storeHost()
    {
        return storeHost;
    }

    public int storePort()
    {
        return storePort;
    }

    public JcclConfig store(final String host, final int port)
    {
        checkMutable();
        this.storeHost = host;
        this.storePort = port;
        return this;
    }

    public String runId()
    {
        return runId;
    }

    public JcclConfig runId(final String runId)
    {
        checkMutable();
        this.runId = Objects.requireNonNull(runId, "runId");
        return this;
    }

    public Path tokenFile()
    {
        return tokenFile;
    }

    public JcclConfig tokenFile(final Path tokenFile)
    {
        checkMutable();
        this.tokenFile = tokenFile;
        return this;
    }

    /** Job token bytes when given directly (tests, embedding); otherwise read from {@link #tokenFile()}. */
    public byte[] token()
    {
        return token == null ? null : token.clone();
    }

    public JcclConfig token(final byte[] token)
    {
        checkMutable();
        this.token = token == null ? null : token.clone();
        return this;
    }

    public String transport()
    {
        return transport;
    }

    public JcclConfig transport(final String transport)
    {
        checkMutable();
        this.transport = Objects.requireNonNull(transport, "transport");
        return this;
    }

    public Duration timeout()
    {
        return timeout;
    }

    public JcclConfig timeout(final Duration timeout)
    {
        checkMutable();
        this.timeout = timeout;
        return this;
    }

    /** Bound on a waited-for peer's silence before it is reported as failed (heartbeats keep live links talking). */
    public Duration heartbeatTimeout()
    {
        return heartbeatTimeout;
    }

    public JcclConfig heartbeatTimeout(final Duration heartbeatTimeout)
    {
        checkMutable();
        this.heartbeatTimeout = heartbeatTimeout;
        return this;
    }

    public String socketIfname()
    {
        return socketIfname;
    }

    public JcclConfig socketIfname(final String socketIfname)
    {
        checkMutable();
        this.socketIfname = socketIfname;
        return this;
    }

    /**
     * The host name this rank publishes ({@code JCCL_HOST_NAME}): what tells ranks on one host from
     * ranks on another. Default: {@link dev.jccl.env.NetworkEnvironment#hostName()}. jcclrun sets it
     * to the hostfile's name of the host when a job lists several hosts, so two hostfile lines that
     * reach the same machine (127.0.0.2, 127.0.0.3) are two hosts to the transports, as to the launcher.
     */
    public String hostName()
    {
        return hostName != null ? hostName : dev.jccl.env.NetworkEnvironment.hostName();
    }

    public JcclConfig hostName(final String hostName)
    {
        checkMutable();
        if (hostName != null && (hostName.isBlank() || hostName.chars().anyMatch(c -> c <= ' ')))
        {
            throw new IllegalArgumentException("host name (JCCL_HOST_NAME) must be non-empty without spaces, got '" + hostName + "'");
        }
        this.hostName = hostName;
        return this;
    }

    public String algo()
    {
        return algo;
    }

    public JcclConfig algo(final String algo)
    {
        checkMutable();
        this.algo = algo;
        return this;
    }

    public String kernels()
    {
        return kernels;
    }

    public JcclConfig kernels(final String kernels)
    {
        checkMutable();
        this.kernels = kernels;
        return this;
    }

    /** Which environment contract filled this config, for the log. */
    public String source()
    {
        return source;
    }

    public JcclConfig source(final String source)
    {
        checkMutable();
        this.source = source;
        return this;
    }

    @Override
    public String toString()
    {
        return "JcclConfig{rank=" + rank + ", worldSize=" + worldSize + ", localRank=" + localRank +
            ", localWorldSize=" + localWorldSize + ", store=" + storeHost + ":" + storePort + ", runId=" + runId +
            ", transport=" + transport + ", timeout=" + timeout + ", heartbeatTimeout=" + heartbeatTimeout + ", source=" + source + "}";
    }
}
