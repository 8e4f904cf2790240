package dev.meshkit.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class EndpointTest {

    @ParameterizedTest
    @CsvSource({
            "ws://localhost:9001, ws://127.0.0.1:9001",
            "WS://LOCALHOST:9001/, ws://127.0.0.1:9001",
            "ws://127.0.0.1:9001, ws://127.0.0.1:9001",
            "ws://[::1]:9001, ws://[0:0:0:0:0:0:0:1]:9001",
            "ws://[0:0:0:0:0:0:0:1]:9001, ws://[0:0:0:0:0:0:0:1]:9001",
            "ws://[::ffff:127.0.0.1]:9001, ws://127.0.0.1:9001",
            "ws://example.org, ws://example.org:80",
            "wss://Example.ORG/mesh/, wss://example.org:443/mesh",
            "mem://alice, mem://alice:0",
    })
    void spellingsOfOnePlaceAreEqual(String text, String canonical) {
        assertEquals(canonical, Endpoint.parse(text).toString());
        assertEquals(Endpoint.parse(canonical), Endpoint.parse(text));
    }

    @Test
    void whatParsesHasACanonicalFormThatParsesToo() {
        String path = "/" + "p".repeat(Endpoint.MAX_LENGTH - "ws://h/".length());
        String text = "ws://h" + path;
        assertEquals(Endpoint.MAX_LENGTH, text.length());
        // Filling in the default port makes it too long: refused when first read, not when passed on.
        MeshException e = assertThrows(MeshException.class, () -> Endpoint.parse(text));
        assertEquals(ErrorCode.INVALID_ENDPOINT, e.code());
        String fits = "ws://h:80/" + "p".repeat(Endpoint.MAX_LENGTH - "ws://h:80/".length());
        assertEquals(fits, Endpoint.parse(fits).toString());
        assertEquals(Endpoint.parse(fits), Endpoint.parse(Endpoint.parse(fits).toString()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "not a url", "ws://", "ws://host:99999", "ws://host:-1",
            "ws://user@host:1", "ws://host:1/?q=1", "ws://host:1/#frag", "//host:1", "foo://host",
            "ws://[zz::1]:1", "ws://host name:1"})
    void badTextIsATypedError(String text) {
        MeshException e = assertThrows(MeshException.class, () -> Endpoint.parse(text));
        assertEquals(ErrorCode.INVALID_ENDPOINT, e.code());
    }

    @Test
    void nullIsATypedError() {
        assertThrows(InvalidEndpointException.class, () -> Endpoint.parse(null));
    }

    @Test
    void veryLongTextIsRefusedWithoutParsing() {
        assertThrows(InvalidEndpointException.class, () -> Endpoint.parse("ws://" + "a".repeat(10_000) + ":1"));
    }

    @Test
    void loopbackAndWildcardAreRecognised() {
        assertTrue(Endpoint.parse("ws://127.9.9.9:1").isLoopback());
        assertTrue(Endpoint.parse("ws://[::1]:1").isLoopback());
        assertFalse(Endpoint.parse("ws://8.8.8.8:1").isLoopback());
        assertTrue(Endpoint.parse("ws://0.0.0.0:1").isWildcard());
        assertTrue(Endpoint.parse("ws://[::]:1").isWildcard());
    }

    @Test
    void withPortKeepsTheRest() {
        Endpoint e = Endpoint.parse("ws://localhost:0/mesh").withPort(9005);
        assertEquals("ws://127.0.0.1:9005/mesh", e.toString());
    }
}
