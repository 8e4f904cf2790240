package dev.meshkit.cli;

import dev.meshkit.api.ErrorCode;
import dev.meshkit.api.MeshException;
import dev.meshkit.api.spi.KeyMaterial;
import dev.meshkit.core.Identities;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code meshkit keygen}: writes a new key file and prints the node id it gives. */
@Command(name = "keygen",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = {
            "Generate a node key pair and write it to a key file (owner-only permissions).",
            "Prints the node id on standard output, so ID=$(meshkit keygen --out FILE) works.",
            "Use the file with 'meshkit node --key FILE' to keep the same node id across restarts.",
            "With --encrypt the private key is stored encrypted under a passphrase (Argon2id, AES-256-GCM).",
            ""
        })
final class KeygenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    LoggingOptions logging;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Key file to write.")
    Path out;

    @Option(names = "--scheme", paramLabel = "NAME",
            description = "Signature scheme, e.g. ml-dsa-65 or ed25519 (default: the strongest installed,"
                + " ml-dsa-65).")
    String scheme;

    @Option(names = "--encrypt", description = "Encrypt the private key under a passphrase.")
    boolean encrypt;

    @Mixin
    PassphraseOptions passphrase;

    @Option(names = "--force", description = "Replace an existing key file (its node id is lost for good).")
    boolean force;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        // Checked before generating so the refusal names the remedy; Identities re-checks atomically.
        if (!force && Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
            throw new CliException("key file " + out + " already exists; not overwriting it"
                    + " (use --force to replace it, which changes the node id)");
        }
        char[] secret = null;
        if (encrypt) {
            secret = passphrase.passphrase();
            if (secret == null) {
                throw new ParameterException(spec.commandLine(), "--encrypt needs a passphrase: give"
                        + " --passphrase-file FILE or set " + PassphraseOptions.ENV);
            }
        }
        KeyMaterial keys;
        try {
            keys = Identities.generate(scheme);
        } catch (MeshException e) {
            if (e.code() == ErrorCode.MISSING_PROVIDER) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            throw e;
        }
        try {
            Identities.save(keys, out, force, secret);
        } catch (MeshException e) {
            throw new CliException(e.getMessage());
        } finally {
            if (secret != null) {
                java.util.Arrays.fill(secret, '\0');
            }
        }
        stdout.println(keys.nodeId().hex());
        stdout.flush();
        stderr.println("wrote " + (encrypt ? "encrypted " : "") + keys.scheme() + " key file " + out + " for node "
                + keys.nodeId().shortForm());
        stderr.flush();
        return 0;
    }
}
