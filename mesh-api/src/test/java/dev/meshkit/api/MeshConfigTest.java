package dev.meshkit.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MeshConfigTest {
    @Test
    void defaultsAreValid() {
        MeshConfig c = Mesh.builder().config();
        assertEquals("meshkit", c.network());
        assertEquals(10, c.maxPeers());
        assertEquals(255, c.gossip().defaultTtl());
    }

    @Test
    void badValuesAreTypedErrors() {
        assertEquals(ErrorCode.INVALID_CONFIG,
                assertThrows(MeshException.class, () -> Mesh.builder().maxPeers(0).config()).code());
        assertEquals(ErrorCode.INVALID_CONFIG,
                assertThrows(MeshException.class, () -> Mesh.builder().network("has space").config()).code());
        assertEquals(ErrorCode.INVALID_ENDPOINT,
                assertThrows(MeshException.class, () -> Mesh.builder().listen("nope")).code());
    }

    @Test
    void badSeedTextIsKeptForTheNodeToSkip() {
        assertEquals(2, Mesh.builder().seed("not a url").seed("ws://127.0.0.1:1").config().seeds().size());
    }

    @Test
    void withoutARuntimeModuleBuildSaysWhatIsMissing() {
        MeshException e = assertThrows(MeshException.class, () -> Mesh.builder().build());
        assertEquals(ErrorCode.MISSING_PROVIDER, e.code());
    }
}
