package dev.meshkit.crypto.pqc;

import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the engines for ML-DSA-65 and ML-KEM-768 once per JVM: for each, the JDK's own where the JDK
 * has it, else Bouncy Castle, unless the system property {@value #PROPERTY} says which for both.
 * Each is looked for on its own, so a JDK whose security configuration removes one algorithm still
 * runs the other.
 */
final class PqcEngines {
    /** System property forcing both engines: {@code jdk} or {@code bc}. */
    static final String PROPERTY = "meshkit.pqc.engine";
    private static final Logger LOG = LoggerFactory.getLogger(PqcEngines.class);

    /** One engine per algorithm. */
    record Choice(MlDsaEngine mlDsa, MlKemEngine mlKem) {
    }

    private PqcEngines() {
    }

    /** The engines for this JVM, chosen and logged on first use. */
    static Choice chosen() {
        return Holder.CHOSEN;
    }

    /** The engines {@code wanted} ({@code jdk}, {@code bc}, or {@code null} for the best present). */
    static Choice choose(String wanted) {
        if ("bc".equals(wanted)) {
            return new Choice(new BouncyCastleMlDsa(), new BouncyCastleMlKem());
        }
        if (wanted != null && !"jdk".equals(wanted)) {
            throw new IllegalStateException(PROPERTY + " must be jdk or bc, not " + wanted);
        }
        boolean jdkRequired = wanted != null;
        return new Choice(
                pick(JdkMlDsa.ifAvailable(), BouncyCastleMlDsa::new, "ML-DSA", jdkRequired),
                pick(JdkMlKem.ifAvailable(), BouncyCastleMlKem::new, "ML-KEM", jdkRequired));
    }

    private static <E> E pick(E jdk, Supplier<E> bouncyCastle, String algorithm, boolean jdkRequired) {
        if (jdk != null) {
            return jdk;
        }
        if (jdkRequired) {
            throw new IllegalStateException(PROPERTY + "=jdk but this JDK (" + Runtime.version() + ") has no "
                    + algorithm + "; it needs JDK 24 or later");
        }
        return bouncyCastle.get();
    }

    private static String describe(String engine) {
        return engine.equals("jdk") ? "the JDK's own provider" : "Bouncy Castle";
    }

    // Initialised on first use, once: the choice is a fact about the JVM, not state that changes.
    private static final class Holder {
        static final Choice CHOSEN = choose(System.getProperty(PROPERTY));

        static {
            LOG.info("ML-DSA-65 runs on {}, ML-KEM-768 on {} (Java {}; set -D{}=jdk|bc to choose)",
                    describe(CHOSEN.mlDsa().name()), describe(CHOSEN.mlKem().name()), Runtime.version(), PROPERTY);
        }
    }
}
