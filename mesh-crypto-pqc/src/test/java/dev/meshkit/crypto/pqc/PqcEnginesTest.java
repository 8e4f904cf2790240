package dev.meshkit.crypto.pqc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PqcEnginesTest {
    @Test
    void eachJdkEngineIsChosenWhereverTheJdkHasItAndThePropertyForcesBoth() {
        String mlDsa = JdkMlDsa.ifAvailable() != null ? "jdk" : "bc";
        String mlKem = JdkMlKem.ifAvailable() != null ? "jdk" : "bc";
        if ("required".equals(System.getProperty("meshkit.test.jdkPqc"))) {
            assertEquals("jdk", mlDsa, "ML-DSA on " + Runtime.version());
            assertEquals("jdk", mlKem, "ML-KEM on " + Runtime.version());
        }

        PqcEngines.Choice best = PqcEngines.choose(null);
        assertEquals(mlDsa, best.mlDsa().name());
        assertEquals(mlKem, best.mlKem().name());
        PqcEngines.Choice bc = PqcEngines.choose("bc");
        assertEquals("bc", bc.mlDsa().name());
        assertEquals("bc", bc.mlKem().name());
        if (mlDsa.equals("jdk") && mlKem.equals("jdk")) {
            PqcEngines.Choice jdk = PqcEngines.choose("jdk");
            assertEquals("jdk", jdk.mlDsa().name());
            assertEquals("jdk", jdk.mlKem().name());
        } else {
            assertThrows(IllegalStateException.class, () -> PqcEngines.choose("jdk"));
        }
        assertThrows(IllegalStateException.class, () -> PqcEngines.choose("fast"));

        if (System.getProperty(PqcEngines.PROPERTY) == null) {
            assertEquals(mlDsa, new MlDsa65Scheme().engine());
            assertEquals(mlKem, new HybridChannelProvider().engine());
        }
    }
}
