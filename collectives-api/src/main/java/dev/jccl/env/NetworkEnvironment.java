package dev.jccl.env;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * Which local address a rank publishes for its peers, and its host name.
 */
public final class NetworkEnvironment
{
    private static final System.Logger LOG = System.getLogger(NetworkEnvironment.class.getName());
    private static final int PROBE_PORT = 9;

    /** A network interface as seen by the selection logic (so the rules can be tested without real NICs). */
    record Nic(String name, int index, boolean up, boolean loopback, List<InetAddress> addresses)
    {
    }

    private NetworkEnvironment()
    {
    }

    /**
     * The address this rank publishes in the store for peers to connect to.
     * <ol>
     *   <li>{@code socketIfname} set ({@code JCCL_SOCKET_IFNAME}, NCCL_SOCKET_IFNAME syntax): a comma-separated
     *       list of interface name prefixes ({@code eth,ib}); {@code =} before the list means exact names
     *       ({@code =eth0}); {@code ^} before it means "any interface but these" ({@code ^docker,lo}, where
     *       non-loopback interfaces are preferred). The first matching up interface (in system order) with an
     *       address gives its first IPv4 address, else its first IPv6 address (global before link-local).</li>
     *   <li>else, {@code storeHost} resolves to a loopback address: {@code 127.0.0.1};</li>
     *   <li>else the local address the OS routes to {@code storeHost} from (a connected UDP socket; no packet is
     *       sent);</li>
     *   <li>else (no store host, unresolvable, no route) the first address of the first up non-loopback
     *       interface (in index order; {@code docker*} bridges only if nothing else is up), IPv4 first;
     *       {@code 127.0.0.1} when there is none.</li>
     * </ol>
     *
     * @throws IllegalArgumentException when {@code socketIfname} matches no up interface with an address,
     *                                  listing the interfaces there are.
     */
    public static InetAddress publishAddress(final String socketIfname, final String storeHost)
    {
        if (socketIfname != null && !socketIfname.isBlank())
        {
            return selectByIfname(socketIfname, interfaces());
        }
        if (storeHost != null && !storeHost.isBlank())
        {
            String host = storeHost.trim();
            if (host.startsWith("[") && host.endsWith("]"))
            {
                host = host.substring(1, host.length() - 1);
            }
            try
            {
                final InetAddress store = InetAddress.getByName(host);
                if (store.isLoopbackAddress())
                {
                    return ipv4Loopback();
                }
                final InetAddress routed = routeTo(store);
                if (routed != null)
                {
                    return routed;
                }
                LOG.log(System.Logger.Level.DEBUG, "no route to store host {0}; publishing the first interface address",
                    storeHost);
            }
            catch (final UnknownHostException ex)
            {
                LOG.log(System.Logger.Level.WARNING, "cannot resolve store host {0} ({1}); publishing the first " +
                    "non-loopback interface address", storeHost, ex.getMessage());
            }
        }
        return firstNonLoopback(interfaces());
    }

    /**
     * {@code InetAddress.getLocalHost().getHostName()}, else {@code $HOSTNAME}, else {@code localhost}.
     */
    public static String hostName()
    {
        return hostName(() -> InetAddress.getLocalHost().getHostName(), System.getenv("HOSTNAME"));
    }

    static String hostName(final Callable<String> localHostName, final String envHostname)
    {
        try
        {
            final String name = localHostName.call();
            if (name != null && !name.isBlank())
            {
                return name;
            }
        }
        catch (final Exception ex)
        {
            LOG.log(System.Logger.Level.DEBUG, "local host name lookup failed: {0}", ex.toString());
        }
        if (envHostname != null && !envHostname.isBlank())
        {
            return envHostname.trim();
        }
        return "localhost";
    }

    /** The local address the OS would use to reach {@code target}, or {@code null}. */
    static InetAddress routeTo(final InetAddress target)
    {
        try (DatagramSocket socket = new DatagramSocket())
        {
            socket.connect(new InetSocketAddress(target, PROBE_PORT));
            final InetAddress local = socket.getLocalAddress();
            if (local == null || local.isAnyLocalAddress())
            {
                return null;
            }
            return local;
        }
        catch (final IOException | RuntimeException ex)
        {
            return null;
        }
    }

    static InetAddress selectByIfname(final String spec, final List<Nic> nics)
    {
        String list = spec.trim();
        boolean exclude = false;
        boolean exact = false;
        if (list.startsWith("^"))
        {
            exclude = true;
            list = list.substring(1);
        }
        if (list.startsWith("="))
        {
            exact = true;
            list = list.substring(1);
        }
        final List<String> names = new ArrayList<>();
        for (final String part : list.split(","))
        {
            if (!part.isBlank())
            {
                names.add(part.trim());
            }
        }
        if (names.isEmpty())
        {
            throw new IllegalArgumentException("JCCL_SOCKET_IFNAME='" + spec + "' names no interface; available: " +
                describe(nics));
        }

        Nic chosen = null;
        Nic loopbackCandidate = null;
        for (final Nic nic : sorted(nics))
        {
            if (!nic.up() || nic.addresses().isEmpty())
            {
                continue;
            }
            final boolean matches = matchesAny(nic.name(), names, exact);
            if (exclude == matches)
            {
                continue;
            }
            if (exclude && nic.loopback())
            {
                if (loopbackCandidate == null)
                {
                    loopbackCandidate = nic;
                }
                continue;
            }
            chosen = nic;
            break;
        }
        if (chosen == null)
        {
            chosen = loopbackCandidate;
        }
        if (chosen == null)
        {
            throw new IllegalArgumentException("JCCL_SOCKET_IFNAME='" + spec + "' matches no up interface with an " +
                "address; available: " + describe(nics));
        }
        return preferredAddress(chosen);
    }

    static InetAddress firstNonLoopback(final List<Nic> nics)
    {
        final List<Nic> candidates = sorted(nics).stream()
            .filter(n -> n.up() && !n.loopback() && !n.addresses().isEmpty())
            .collect(Collectors.toList());
        // as NCCL does by default, use docker bridges only when nothing else is up
        final List<Nic> nonDocker = candidates.stream().filter(n -> !n.name().startsWith("docker"))
            .collect(Collectors.toList());
        if (!nonDocker.isEmpty())
        {
            candidates.retainAll(nonDocker);
        }
        for (final Nic nic : candidates)
        {
            for (final InetAddress address : nic.addresses())
            {
                if (address instanceof Inet4Address && !address.isLoopbackAddress())
                {
                    return address;
                }
            }
        }
        for (final Nic nic : candidates)
        {
            final InetAddress address = preferredAddress(nic);
            if (!address.isLoopbackAddress())
            {
                return address;
            }
        }
        return ipv4Loopback();
    }

    private static InetAddress preferredAddress(final Nic nic)
    {
        InetAddress linkLocal = null;
        InetAddress v6 = null;
        for (final InetAddress address : nic.addresses())
        {
            if (address instanceof Inet4Address)
            {
                return address;
            }
            if (address instanceof Inet6Address)
            {
                if (address.isLinkLocalAddress())
                {
                    if (linkLocal == null)
                    {
                        linkLocal = address;
                    }
                }
                else if (v6 == null)
                {
                    v6 = address;
                }
            }
        }
        return v6 != null ? v6 : linkLocal != null ? linkLocal : nic.addresses().get(0);
    }

    private static boolean matchesAny(final String name, final List<String> names, final boolean exact)
    {
        for (final String candidate : names)
        {
            if (exact ? name.equals(candidate) : name.startsWith(candidate))
            {
                return true;
            }
        }
        return false;
    }

    private static List<Nic> sorted(final List<Nic> nics)
    {
        final List<Nic> copy = new ArrayList<>(nics);
        copy.sort(Comparator.comparingInt(Nic::index));
        return copy;
    }

    private static String describe(final List<Nic> nics)
    {
        if (nics.isEmpty())
        {
            return "(none)";
        }
        return sorted(nics).stream()
            .map(n -> n.name() + (n.up() ? "" : " (down)") + (n.addresses().isEmpty() ? " (no address)" :
                " " + n.addresses().stream().map(InetAddress::getHostAddress).collect(Collectors.toList())))
            .collect(Collectors.joining(", "));
    }

    /** The machine's interfaces, in system (index) order. */
    static List<Nic> interfaces()
    {
        final List<Nic> nics = new ArrayList<>();
        try
        {
            final java.util.Enumeration<NetworkInterface> all = NetworkInterface.getNetworkInterfaces();
            if (all == null)
            {
                return nics;
            }
            for (final NetworkInterface nif : Collections.list(all))
            {
                boolean up;
                boolean loopback;
                try
                {
                    up = nif.isUp();
                    loopback = nif.isLoopback();
                }
                catch (final SocketException ex)
                {
                    up = false;
                    loopback = false;
                }
                nics.add(new Nic(nif.getName(), nif.getIndex(), up, loopback, Collections.list(nif.getInetAddresses())));
            }
        }
        catch (final SocketException ex)
        {
            throw new UncheckedIOException("cannot list network interfaces: " + ex.getMessage(), ex);
        }
        nics.sort(Comparator.comparingInt(Nic::index));
        return nics;
    }

    private static InetAddress ipv4Loopback()
    {
        try
        {
            return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
