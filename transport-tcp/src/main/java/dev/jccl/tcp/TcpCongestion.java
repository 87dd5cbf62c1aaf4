package dev.jccl.tcp;

import dev.jccl.spi.NativeSockets;
import org.agrona.UnsafeApi;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.WARNING;

/**
 * The congestion control algorithm ({@code TCP_CONGESTION}) of the pairs' sockets, chosen by
 * {@code -Djccl.tcp.congestion}:
 * <ul>
 * <li>{@code auto} (default): {@code reno} on links to a peer on this host, the kernel's default
 * on links between hosts;</li>
 * <li>{@code kernel}: the kernel's default everywhere;</li>
 * <li>a name such as {@code reno} or {@code cubic}: that algorithm on every link.</li>
 * </ul>
 *
 * <p>Why: on loopback there is no network to protect, and a pacing, model-based default such as
 * BBR (this development machine's) caps what is in flight at a few 64 KiB segments; a 2 MiB
 * exchange between two ranks then took about 2.5x as long as under reno (bench/RESULTS.md,
 * "Congestion control on loopback"). Between hosts the kernel's choice is the operator's.
 *
 * <p>The JDK has no option for it: the native library ({@link NativeSockets}, jccl-native) sets
 * it on the socket's descriptor, read from the JDK's channel with Agrona's {@link UnsafeApi} (the
 * {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED} Agrona already needs). Under
 * {@code auto}, without either, links keep the kernel's default (one DEBUG line says why); a name
 * given explicitly that cannot be set is an error before any connection is made.
 */
final class TcpCongestion
{
    static final String PROPERTY = "jccl.tcp.congestion";
    static final String AUTO = "auto";
    static final String KERNEL = "kernel";
    /** What {@code auto} picks for links within one host. */
    static final String LOCAL_ALGORITHM = "reno";
    private static final Path ALLOWED = Path.of("/proc/sys/net/ipv4/tcp_allowed_congestion_control");
    private static final System.Logger LOG = System.getLogger(TcpCongestion.class.getName());

    private final String setting;
    private final NativeSockets sockets;
    /** Why {@code auto} leaves every link alone, or null when it can set them. */
    private final String autoUnavailable;

    /**
     * @param setting the property's value.
     * @param sockets the native socket options, or null when not on the class path.
     * @throws IllegalArgumentException when an explicitly named algorithm cannot be set here.
     */
    TcpCongestion(final String setting, final NativeSockets sockets)
    {
        this.setting = setting.trim();
        this.sockets = sockets;
        if (this.setting.isEmpty() || !this.setting.matches("[A-Za-z0-9_-]{1,15}"))
        {
            throw new IllegalArgumentException(PROPERTY + "='" + setting + "': expected auto, kernel, or a congestion"
                + " control algorithm's name (letters, digits, '-' or '_', at most 15)");
        }
        if (KERNEL.equals(this.setting))
        {
            autoUnavailable = null;
            return;
        }
        final String algorithm = AUTO.equals(this.setting) ? LOCAL_ALGORITHM : this.setting;
        final String problem = probe(sockets, algorithm);
        if (problem != null && !AUTO.equals(this.setting))
        {
            throw new IllegalArgumentException(PROPERTY + "=" + this.setting + ": " + problem);
        }
        autoUnavailable = problem;
        if (problem != null)
        {
            LOG.log(DEBUG, () -> "TCP links keep the kernel's congestion control: " + problem);
        }
    }

    /** @return the setting of {@code -Djccl.tcp.congestion}, validated once per JVM. */
    static TcpCongestion configured()
    {
        if (Configured.FAILURE != null)
        {
            throw new IllegalArgumentException(Configured.FAILURE);
        }
        return Configured.INSTANCE;
    }

    /**
     * Sets the algorithm this setting asks for on {@code channel}, a connected pair socket.
     *
     * @return the algorithm set, or null when the link keeps the kernel's default.
     */
    String apply(final SocketChannel channel, final int peer)
    {
        final String algorithm = algorithmFor(channel);
        if (algorithm == null)
        {
            return null;
        }
        final int fd = descriptorOf(channel);
        final String problem = fd < 0 ? "cannot read the socket's descriptor" : sockets.setTcpCongestion(fd, algorithm);
        if (problem != null)
        {
            // The probe at start-up succeeded, so this is unexpected; the link still works.
            LOG.log(WARNING, "link to rank " + peer + " keeps the kernel's congestion control: setting "
                + algorithm + " failed: " + problem);
            return null;
        }
        return algorithm;
    }

    /** @return the algorithm for this link, or null to leave the kernel's default. */
    private String algorithmFor(final SocketChannel channel)
    {
        if (KERNEL.equals(setting))
        {
            return null;
        }
        if (!AUTO.equals(setting))
        {
            return setting;
        }
        if (autoUnavailable != null)
        {
            return null;
        }
        try
        {
            return isThisHost(channel.getRemoteAddress()) ? LOCAL_ALGORITHM : null;
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    /** @return whether {@code address} is one of this host's own (loopback, or an interface's). */
    static boolean isThisHost(final SocketAddress address) throws IOException
    {
        if (!(address instanceof InetSocketAddress))
        {
            return false;
        }
        final InetAddress ip = ((InetSocketAddress)address).getAddress();
        return ip != null && (ip.isLoopbackAddress() || ip.isAnyLocalAddress() || NetworkInterface.getByInetAddress(ip) != null);
    }

    /** @return why {@code algorithm} cannot be set on this host's sockets, or null when it can. */
    private static String probe(final NativeSockets sockets, final String algorithm)
    {
        if (sockets == null)
        {
            return "setting TCP_CONGESTION needs jccl-native (dev.jccl:jccl-native, linux-x86_64) on the class path";
        }
        try (SocketChannel probe = SocketChannel.open())
        {
            final int fd = descriptorOf(probe);
            if (fd < 0)
            {
                return "cannot read a socket's descriptor from the JDK (" + DescriptorField.FAILURE + ")";
            }
            final String refused = sockets.setTcpCongestion(fd, algorithm);
            return refused == null ? null : "the kernel refuses TCP_CONGESTION=" + algorithm + ": " + refused
                + "; this host allows: " + allowedHere();
        }
        catch (final IOException ex)
        {
            return "cannot open a socket to check TCP_CONGESTION: " + ex.getMessage();
        }
    }

    /** @return the names an unprivileged process may set, as the kernel lists them. */
    static String allowedHere()
    {
        try
        {
            return Files.readString(ALLOWED).trim();
        }
        catch (final IOException | RuntimeException ex)
        {
            return "(unknown: cannot read " + ALLOWED + ")";
        }
    }

    /** @return the file descriptor behind a JDK socket channel, or -1 where it cannot be read. */
    static int descriptorOf(final SocketChannel channel)
    {
        if (DescriptorField.FAILURE != null || !DescriptorField.IMPL.isInstance(channel))
        {
            return -1;
        }
        return UnsafeApi.getInt(channel, DescriptorField.OFFSET);
    }

    /** The JDK's {@code sun.nio.ch.SocketChannelImpl.fdVal} (JDK 17 to 25), found once. */
    private static final class DescriptorField
    {
        static final Class<?> IMPL;
        static final long OFFSET;
        static final String FAILURE;

        static
        {
            Class<?> impl = null;
            long offset = -1;
            String failure = null;
            try
            {
                impl = Class.forName("sun.nio.ch.SocketChannelImpl");
                offset = UnsafeApi.objectFieldOffset(impl, "fdVal");
            }
            catch (final ReflectiveOperationException | LinkageError | RuntimeException ex)
            {
                failure = ex.getClass().getSimpleName() + ": " + ex.getMessage();
            }
            IMPL = impl;
            OFFSET = offset;
            FAILURE = failure;
        }
    }

    private static final class Configured
    {
        static final TcpCongestion INSTANCE;
        static final String FAILURE;

        static
        {
            TcpCongestion instance = null;
            String failure = null;
            try
            {
                instance = new TcpCongestion(System.getProperty(PROPERTY, AUTO), NativeSockets.find());
            }
            catch (final IllegalArgumentException ex)
            {
                failure = ex.getMessage();
            }
            INSTANCE = instance;
            FAILURE = failure;
        }
    }
}
