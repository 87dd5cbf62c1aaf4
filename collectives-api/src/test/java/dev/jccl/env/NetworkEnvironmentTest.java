package dev.jccl.env;

import dev.jccl.env.NetworkEnvironment.Nic;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class NetworkEnvironmentTest
{
    private static InetAddress ip(final String literal)
    {
        try
        {
            return InetAddress.getByName(literal);
        }
        catch (final UnknownHostException ex)
        {
            throw new AssertionError(ex);
        }
    }

    private static final Nic LO = new Nic("lo", 1, true, true, List.of(ip("::1"), ip("127.0.0.1")));
    private static final Nic ETH0 = new Nic("eth0", 2, true, false,
        List.of(ip("fe80::1"), ip("fd00::2"), ip("192.0.2.2")));
    private static final Nic ETH1 = new Nic("eth1", 3, true, false, List.of(ip("198.51.100.7")));
    private static final Nic IB0 = new Nic("ib0", 4, true, false, List.of(ip("fe80::9"), ip("fd00::9")));
    private static final Nic DOCKER0 = new Nic("docker0", 5, true, false, List.of(ip("172.17.0.1")));
    private static final Nic ETH2_DOWN = new Nic("eth2", 6, false, false, List.of(ip("203.0.113.5")));
    private static final List<Nic> NICS = List.of(DOCKER0, ETH1, LO, ETH2_DOWN, IB0, ETH0);

    @Test
    void ifnameSelectsTheFirstIpv4AddressOfThatInterface()
    {
        assertEquals(ip("192.0.2.2"), NetworkEnvironment.selectByIfname("eth0", NICS));
    }

    @Test
    void ifnameFallsBackToAGlobalIpv6AddressBeforeLinkLocal()
    {
        assertEquals(ip("fd00::9"), NetworkEnvironment.selectByIfname("ib0", NICS));
    }

    @Test
    void ifnameIsAPrefixMatchedInInterfaceOrder()
    {
        assertEquals(ip("192.0.2.2"), NetworkEnvironment.selectByIfname("eth", NICS));
    }

    @Test
    void ifnameCommaListTakesTheFirstMatchingInterfaceInSystemOrder()
    {
        assertEquals(ip("192.0.2.2"), NetworkEnvironment.selectByIfname("ib,eth", NICS));
        assertEquals(ip("fd00::9"), NetworkEnvironment.selectByIfname(" ib0 , docker ", List.of(IB0, DOCKER0)));
    }

    @Test
    void equalsPrefixMeansExactNames()
    {
        assertEquals(ip("198.51.100.7"), NetworkEnvironment.selectByIfname("=eth1", NICS));
        assertThrows(IllegalArgumentException.class, () -> NetworkEnvironment.selectByIfname("=eth", NICS));
    }

    @Test
    void caretPrefixExcludesInterfacesAndPrefersNonLoopback()
    {
        assertEquals(ip("198.51.100.7"), NetworkEnvironment.selectByIfname("^docker,eth0", NICS));
        assertEquals(ip("fd00::9"), NetworkEnvironment.selectByIfname("^docker,eth", NICS));
    }

    @Test
    void caretExcludingEverythingButLoopbackUsesLoopback()
    {
        assertEquals(ip("127.0.0.1"), NetworkEnvironment.selectByIfname("^docker,eth,ib", NICS));
    }

    @Test
    void caretExcludingEverythingIsRejected()
    {
        assertThrows(IllegalArgumentException.class, () -> NetworkEnvironment.selectByIfname("^docker,eth,ib,lo", NICS));
    }

    @Test
    void downInterfaceIsNotSelected()
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> NetworkEnvironment.selectByIfname("eth2", NICS));
        assertTrue(ex.getMessage().contains("eth2 (down)"), ex.getMessage());
    }

    @Test
    void unknownInterfaceIsRejectedListingTheAvailableOnes()
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> NetworkEnvironment.selectByIfname("wlan0", NICS));
        for (final String name : List.of("JCCL_SOCKET_IFNAME", "wlan0", "lo", "eth0", "eth1", "ib0", "docker0", "192.0.2.2"))
        {
            assertTrue(ex.getMessage().contains(name), () -> ex.getMessage() + " should mention " + name);
        }
    }

    @Test
    void emptyInterfaceListIsRejected()
    {
        assertThrows(IllegalArgumentException.class, () -> NetworkEnvironment.selectByIfname("^ , ", NICS));
    }

    @Test
    void unknownRealInterfaceIsRejectedListingTheMachinesInterfaces()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> NetworkEnvironment.publishAddress("=no-such-nic-jccl", "127.0.0.1"));
        for (final Nic nic : NetworkEnvironment.interfaces())
        {
            assertTrue(ex.getMessage().contains(nic.name()), ex.getMessage());
        }
    }

    @Test
    void realLoopbackInterfaceCanBeNamed()
    {
        final Nic loopback = NetworkEnvironment.interfaces().stream()
            .filter(n -> n.loopback() && n.up() && !n.addresses().isEmpty()).findFirst().orElse(null);
        assumeTrue(loopback != null, "no loopback interface");
        assertTrue(NetworkEnvironment.publishAddress("=" + loopback.name(), null).isLoopbackAddress());
    }

    @Test
    void loopbackStoreHostPublishesIpv4Loopback()
    {
        for (final String host : List.of("127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.5"))
        {
            final InetAddress address = NetworkEnvironment.publishAddress(null, host);
            assertEquals("127.0.0.1", address.getHostAddress(), host);
        }
    }

    @Test
    void remoteStoreHostPublishesTheAddressRoutedToIt()
    {
        final InetAddress local = NetworkEnvironment.firstNonLoopback(NetworkEnvironment.interfaces());
        assumeTrue(!local.isLoopbackAddress(), "no non-loopback interface");
        final InetAddress routed = NetworkEnvironment.routeTo(local);
        assumeTrue(routed != null, "no route to own address");
        assertEquals(routed, NetworkEnvironment.publishAddress("", local.getHostAddress()));
        assertFalse(routed.isAnyLocalAddress());
    }

    @Test
    void noStoreHostPublishesTheFirstNonLoopbackAddress()
    {
        assertEquals(NetworkEnvironment.firstNonLoopback(NetworkEnvironment.interfaces()),
            NetworkEnvironment.publishAddress(null, null));
    }

    @Test
    void firstNonLoopbackPrefersIpv4InInterfaceOrder()
    {
        assertEquals(ip("192.0.2.2"), NetworkEnvironment.firstNonLoopback(NICS));
        assertEquals(ip("192.0.2.2"), NetworkEnvironment.firstNonLoopback(List.of(IB0, ETH0, LO)));
    }

    @Test
    void firstNonLoopbackAvoidsDockerBridgesUnlessTheyAreAllThereIs()
    {
        final Nic docker = new Nic("docker0", 1, true, false, List.of(ip("172.17.0.1")));
        assertEquals(ip("198.51.100.7"), NetworkEnvironment.firstNonLoopback(List.of(docker, ETH1)));
        assertEquals(ip("172.17.0.1"), NetworkEnvironment.firstNonLoopback(List.of(LO, docker)));
    }

    @Test
    void firstNonLoopbackUsesIpv6WhenThereIsNoIpv4()
    {
        assertEquals(ip("fd00::9"), NetworkEnvironment.firstNonLoopback(List.of(LO, IB0)));
    }

    @Test
    void firstNonLoopbackFallsBackToIpv4Loopback()
    {
        final InetAddress address = NetworkEnvironment.firstNonLoopback(List.of(LO, ETH2_DOWN));
        assertTrue(address instanceof Inet4Address && address.isLoopbackAddress());
    }

    @Test
    void hostNameComesFromTheResolver()
    {
        assertEquals("node7", NetworkEnvironment.hostName(() -> "node7", "env-host"));
        final String real = NetworkEnvironment.hostName();
        assertNotNull(real);
        assertFalse(real.isBlank());
    }

    @Test
    void hostNameFallsBackToHostnameVariableThenLocalhost()
    {
        assertEquals("env-host", NetworkEnvironment.hostName(() ->
        {
            throw new UnknownHostException("broken");
        }, "env-host"));
        assertEquals("localhost", NetworkEnvironment.hostName(() -> null, " "));
        assertEquals("localhost", NetworkEnvironment.hostName(() ->
        {
            throw new UnknownHostException("broken");
        }, null));
    }
}
