package dev.jccl.launcher;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Decides whether a hostfile name means this host: {@code localhost}, this host's name (short or
 * full), or a name or literal that resolves to an address of one of this host's interfaces. Other
 * loopback addresses such as {@code 127.0.0.2} are not this host's interface addresses, so they
 * count as remote (tests use that to exercise ssh without a second machine).
 */
public final class LocalHosts
{
    private final Set<String> names = new HashSet<>();
    private final Set<InetAddress> addresses = new HashSet<>();

    public LocalHosts()
    {
        names.add("localhost");
        try
        {
            final InetAddress self = InetAddress.getLocalHost();
            addName(self.getHostName());
            addName(self.getCanonicalHostName());
        }
        catch (final UnknownHostException ignored)
        {
            // a host without a resolvable name still has its interfaces
        }
        final String env = System.getenv("HOSTNAME");
        if (env != null)
        {
            addName(env);
        }
        try
        {
            for (final NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces()))
            {
                addresses.addAll(Collections.list(nif.getInetAddresses()));
            }
        }
        catch (final SocketException ignored)
        {
            // no interfaces listed: names still work
        }
    }

    private void addName(final String name)
    {
        if (name != null && !name.isEmpty())
        {
            final String lower = name.toLowerCase(Locale.ROOT);
            names.add(lower);
            final int dot = lower.indexOf('.');
            if (dot > 0 && !Character.isDigit(lower.charAt(0)))
            {
                names.add(lower.substring(0, dot));
            }
        }
    }

    public boolean isLocal(final String host)
    {
        final String lower = host.toLowerCase(Locale.ROOT);
        if (names.contains(lower))
        {
            return true;
        }
        try
        {
            for (final InetAddress address : InetAddress.getAllByName(host))
            {
                if (addresses.contains(address))
                {
                    return true;
                }
            }
        }
        catch (final UnknownHostException e)
        {
            return false; // not resolvable (yet): a remote worker whose DNS is not ready
        }
        return false;
    }
}
