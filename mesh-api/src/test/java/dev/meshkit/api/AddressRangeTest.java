package dev.meshkit.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AddressRangeTest {
    @Test
    void rangesContainTheirAddressesOnly() {
        AddressRange r = AddressRange.parse("127.1.2.99/16");
        assertEquals("127.1.0.0/16", r.toString(), "host bits are cleared");
        assertTrue(r.contains(AddressRange.ipLiteral("127.1.255.7")));
        assertFalse(r.contains(AddressRange.ipLiteral("127.2.0.1")));
        assertFalse(r.contains(AddressRange.ipLiteral("::7f01:203")), "another family never matches");
        AddressRange v6 = AddressRange.parse("2001:db8::/32");
        assertTrue(v6.contains(AddressRange.ipLiteral("[2001:db8:ffff::1]")));
        assertEquals("192.0.2.1/32", AddressRange.parse("192.0.2.1").toString());
        assertTrue(AddressRange.anyContains(AddressRange.LOOPBACK, AddressRange.ipLiteral("127.8.9.10")));
        assertTrue(AddressRange.anyContains(AddressRange.LOOPBACK, AddressRange.ipLiteral("::1")));
    }

    @Test
    void onlyIpLiteralsParseAndNothingIsLookedUp() {
        assertNull(AddressRange.ipLiteral("example.com"));
        assertNull(AddressRange.ipLiteral("999.1.1.1"));
        assertNull(AddressRange.ipLiteral("1.2.3"));
        assertNull(AddressRange.ipLiteral("01:zz::1"));
        assertThrows(IllegalArgumentException.class, () -> AddressRange.parse("example.com/24"));
        assertThrows(IllegalArgumentException.class, () -> AddressRange.parse("127.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> AddressRange.parse("127.0.0.0/x"));
    }

    @Test
    void endpointsRefuseMalformedAddressesInsteadOfResolvingThem() {
        assertThrows(InvalidEndpointException.class, () -> Endpoint.parse("ws://999.1.1.1:9000"));
        assertEquals("127.0.0.1", Endpoint.parse("ws://localhost:9000").host());
    }
}
