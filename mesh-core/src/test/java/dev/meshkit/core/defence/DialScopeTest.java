package dev.meshkit.core.defence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshkit.api.AddressRange;
import dev.meshkit.api.Endpoint;
import java.util.List;
import org.junit.jupiter.api.Test;

class DialScopeTest {
    private static final RemoteAddress PUBLIC = RemoteAddress.parse("203.0.113.9:4000");
    private static final RemoteAddress LAN = RemoteAddress.parse("192.168.1.20:4000");
    private static final RemoteAddress LOOPBACK = RemoteAddress.parse("127.0.0.1:4000");
    private static final RemoteAddress SIMULATED = RemoteAddress.parse("node7:40000");

    private static boolean may(String endpoint, RemoteAddress teller) {
        return DialScope.mayDial(Endpoint.parse(endpoint), teller, List.of());
    }

    @Test
    void aPublicPeerCanPointOnlyAtPublicAddresses() {
        assertTrue(may("ws://198.51.100.4:9000", PUBLIC));
        assertFalse(may("ws://127.0.0.1:8080", PUBLIC), "loopback");
        assertFalse(may("ws://169.254.169.254:80", PUBLIC), "cloud metadata, link-local");
        assertFalse(may("ws://10.1.2.3:9000", PUBLIC), "RFC 1918");
        assertFalse(may("ws://172.16.0.1:9000", PUBLIC));
        assertFalse(may("ws://100.64.0.1:9000", PUBLIC), "carrier-grade NAT");
        assertFalse(may("ws://[fd00::1]:9000", PUBLIC), "unique local IPv6");
        assertFalse(may("ws://[::1]:9000", PUBLIC));
        assertFalse(may("ws://[::ffff:10.0.0.1]:9000", PUBLIC), "IPv4-mapped private address");
    }

    @Test
    void aLanPeerCanPointAtItsLanAndALoopbackPeerAnywhere() {
        assertTrue(may("ws://192.168.1.30:9000", LAN));
        assertTrue(may("ws://203.0.113.50:9000", LAN));
        assertFalse(may("ws://127.0.0.1:9000", LAN));
        assertTrue(may("ws://127.0.0.1:9000", LOOPBACK));
        assertTrue(may("ws://10.0.0.1:9000", LOOPBACK));
    }

    @Test
    void addressesOfNoSingleHostAreNeverDialled() {
        assertFalse(may("ws://0.0.0.0:9000", LOOPBACK));
        assertFalse(may("ws://[::]:9000", LOOPBACK));
        assertFalse(may("ws://224.0.0.251:5353", LOOPBACK), "multicast");
        assertFalse(may("ws://255.255.255.255:9000", LOOPBACK), "broadcast");
        assertFalse(may("ws://[ff02::1]:9000", LOOPBACK));
    }

    @Test
    void openedRangesAndTransportsWithoutAddressesAreAllowed() {
        assertTrue(DialScope.mayDial(Endpoint.parse("ws://10.8.0.5:9000"), PUBLIC,
                List.of(AddressRange.parse("10.8.0.0/16"))), "a VPN the application opened");
        assertTrue(may("sim://node3", SIMULATED));
        assertTrue(may("ws://peer.example:9000", PUBLIC), "names are not resolved on a stranger's say-so");
    }

    @Test
    void scopesAreOrderedFromTheMostLocal() {
        assertEquals(DialScope.Scope.LOOPBACK, DialScope.of(LOOPBACK.ip()));
        assertEquals(DialScope.Scope.PRIVATE, DialScope.of(LAN.ip()));
        assertEquals(DialScope.Scope.PUBLIC, DialScope.of(PUBLIC.ip()));
        assertEquals(DialScope.Scope.LINK_LOCAL, DialScope.of(AddressRange.ipLiteral("fe80::1")));
    }

    @Test
    void remoteAddressesParseWithoutLookupsAndGroupBySubnet() {
        RemoteAddress v6 = RemoteAddress.parse("[2001:db8:1:2::7]:9000");
        assertEquals("2001:db8:1:0:0:0:0:0/48", v6.subnet(24, 48));
        assertEquals("203.0.113.0/24", PUBLIC.subnet(24, 48));
        assertEquals("node7", SIMULATED.host());
        assertEquals("node7", SIMULATED.subnet(24, 48), "a name is its own subnet");
        assertTrue(LOOPBACK.in(AddressRange.LOOPBACK));
        assertFalse(PUBLIC.in(AddressRange.LOOPBACK));
    }
}
