package dev.jccl.tcp;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.WARNING;

/**
 * Logs refused connections once per source host per window instead of once per connection, so a
 * flood of hostile or broken connections (a port scanner, a client of another job retrying, a
 * fuzzer) cannot fill the log or cost more than a map lookup each. The first refusal from a host
 * is a WARNING with its reason; later ones in the same window go to DEBUG and are counted, and the
 * next WARNING after the window says how many were suppressed. At most {@link #MAX_SOURCES} hosts
 * are tracked; refusals from hosts beyond that share one entry, so memory stays bounded too.
 */
public final class RefusalLog
{
    /** Default window: one WARNING per source host per minute. */
    public static final long DEFAULT_WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** Hosts tracked individually; the rest share the {@link #OTHER_SOURCES} entry. */
    public static final int MAX_SOURCES = 1024;
    static final String OTHER_SOURCES = "(other hosts)";

    private final System.Logger log;
    private final String who;
    private final long windowNanos;
    private final LongSupplier clock;
    private final Map<String, Source> sources = new HashMap<>();
    private final AtomicLong refusals = new AtomicLong();
    private final AtomicLong warnings = new AtomicLong();

    /** Per-host state: when its current window opened and how many refusals it has swallowed. */
    private static final class Source
    {
        long windowStart;
        long suppressed;
    }

    /**
     * @param log   where the lines go.
     * @param who   prefix naming the refusing endpoint, e.g. "rank 3" or "bootstrap store on port 29500".
     */
    public RefusalLog(final System.Logger log, final String who)
    {
        this(log, who, DEFAULT_WINDOW_NANOS, System::nanoTime);
    }

    RefusalLog(final System.Logger log, final String who, final long windowNanos, final LongSupplier clock)
    {
        this.log = log;
        this.who = who;
        this.windowNanos = windowNanos;
        this.clock = clock;
    }

    /** Records one refused connection from {@code remote} and logs it if it is the first in its window. */
    public void refused(final SocketAddress remote, final String reason)
    {
        refusals.incrementAndGet();
        final long suppressedBefore = admit(hostOf(remote));
        if (suppressedBefore < 0)
        {
            log.log(DEBUG, () -> who + " refused a connection from " + remote + ": " + reason);
            return;
        }
        warnings.incrementAndGet();
        final String more = suppressedBefore == 0 ? "" :
            " (" + suppressedBefore + " more refusals from that host since the last such line)";
        log.log(WARNING, () -> who + " refused a connection from " + remote + ": " + reason + more +
            "; further refusals from that host are logged at DEBUG for " +
            TimeUnit.NANOSECONDS.toSeconds(windowNanos) + " s");
    }

    /**
     * @return -1 when this refusal falls inside its host's open window (log quietly), else the
     *         number of refusals suppressed in the window that just closed (log a WARNING).
     */
    synchronized long admit(final String host)
    {
        final long now = clock.getAsLong();
        Source source = sources.get(host);
        if (source == null)
        {
            final String key = sources.size() < MAX_SOURCES ? host : OTHER_SOURCES;
            source = sources.get(key);
            if (source == null)
            {
                source = new Source();
                source.windowStart = now;
                sources.put(key, source);
                return 0;
            }
        }
        if (now - source.windowStart < windowNanos)
        {
            source.suppressed++;
            return -1;
        }
        final long suppressed = source.suppressed;
        source.windowStart = now;
        source.suppressed = 0;
        return suppressed;
    }

    /** Refusals recorded since creation. */
    public long refusals()
    {
        return refusals.get();
    }

    /** WARNING lines written since creation. */
    public long warnings()
    {
        return warnings.get();
    }

    /** The host part of an address (the port changes with every connection, so it is not the source). */
    static String hostOf(final SocketAddress remote)
    {
        if (remote instanceof InetSocketAddress && ((InetSocketAddress)remote).getAddress() != null)
        {
            return ((InetSocketAddress)remote).getAddress().getHostAddress();
        }
        return String.valueOf(remote);
    }
}
