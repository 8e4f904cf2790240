package dev.meshkit.crypto.pqc;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Picks the ML-DSA engine once per JVM: the JDK's where present, unless the property says otherwise. */
final class MlDsaEngines {
    /** System property forcing an engine: {@code jdk} or {@code bc}. */
    static final String PROPERTY = "meshkit.pqc.engine";
    private static final Logger LOG = LoggerFactory.getLogger(MlDsaEngines.class);

    private MlDsaEngines() {
    }

    /** The engine for this JVM, chosen and logged on first use. */
    static MlDsaEngine chosen() {
        return Holder.CHOSEN;
    }

    /** The engine {@code wanted} ({@code jdk}, {@code bc}, or {@code null} for the best present). */
    static MlDsaEngine choose(String wanted) {
        JdkMlDsa jdk = JdkMlDsa.ifAvailable();
        if ("bc".equals(wanted)) {
            return new BouncyCastleMlDsa();
        }
        if ("jdk".equals(wanted) && jdk == null) {
            throw new IllegalStateException(PROPERTY + "=jdk but this JDK (" + Runtime.version()
                    + ") has no ML-DSA; it needs JDK 24 or later");
        }
        if (wanted != null && !"jdk".equals(wanted)) {
            throw new IllegalStateException(PROPERTY + " must be jdk or bc, not " + wanted);
        }
        return jdk != null ? jdk : new BouncyCastleMlDsa();
    }

    // Initialised on first use, once: the choice is a fact about the JVM, not state that changes.
    private static final class Holder {
        static final MlDsaEngine CHOSEN = choose(System.getProperty(PROPERTY));

        static {
            LOG.info("ML-DSA-65 runs on {} (Java {}; set -D{}=jdk|bc to choose)",
                    CHOSEN.name().equals("jdk") ? "the JDK's own provider" : "Bouncy Castle", Runtime.version(),
                    PROPERTY);
        }
    }
}
