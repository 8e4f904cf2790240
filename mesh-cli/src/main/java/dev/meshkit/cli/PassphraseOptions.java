package dev.meshkit.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where a key file's passphrase comes from: a file named by {@code --passphrase-file}, else the
 * {@value #ENV} environment variable. Never a command-line value, which other users could read in
 * the process list.
 */
final class PassphraseOptions {
    /** The environment variable read when no file is named. */
    static final String ENV = "MESHKIT_PASSPHRASE";

    @Option(names = "--passphrase-file", paramLabel = "FILE",
            description = "Read the key file's passphrase from the first line of FILE"
                + " (else from the " + ENV + " environment variable).")
    Path file;

    /** The passphrase, or {@code null} if none is given. */
    char[] passphrase() {
        if (file != null) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new CliException("cannot read passphrase file " + file + ": " + e.getMessage());
            }
            int end = text.indexOf('\n');
            String line = (end < 0 ? text : text.substring(0, end)).replace("\r", "");
            if (line.isEmpty()) {
                throw new CliException("passphrase file " + file + " has an empty first line");
            }
            return line.toCharArray();
        }
        String env = System.getenv(ENV);
        return env == null || env.isEmpty() ? null : env.toCharArray();
    }
}
