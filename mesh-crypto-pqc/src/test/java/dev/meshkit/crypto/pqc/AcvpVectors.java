package dev.meshkit.crypto.pqc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Reads the NIST ACVP values copied into {@code src/test/resources/acvp/}: blocks of
 * {@code name = value} lines separated by blank lines, {@code #} starting a comment line. A plain
 * format, because the module's tests have no JSON library.
 */
final class AcvpVectors {
    private final List<Map<String, String>> blocks;

    private AcvpVectors(List<Map<String, String>> blocks) {
        this.blocks = blocks;
    }

    static AcvpVectors load(String resource) {
        List<Map<String, String>> blocks = new ArrayList<>();
        try (InputStream in = AcvpVectors.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            Map<String, String> block = new LinkedHashMap<>();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String text = line.strip();
                if (text.startsWith("#")) {
                    continue;
                }
                if (text.isEmpty()) {
                    if (!block.isEmpty()) {
                        blocks.add(block);
                        block = new LinkedHashMap<>();
                    }
                    continue;
                }
                int eq = text.indexOf('=');
                if (eq < 0) {
                    throw new IllegalStateException(resource + ": not a name = value line: " + text);
                }
                block.put(text.substring(0, eq).strip(), text.substring(eq + 1).strip());
            }
            if (!block.isEmpty()) {
                blocks.add(block);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new AcvpVectors(blocks);
    }

    /** The first block that has {@code name}, for values a whole test group shares. */
    byte[] shared(String name) {
        return blocks.stream()
                .filter(b -> b.containsKey(name))
                .findFirst()
                .map(b -> hex(b.get(name)))
                .orElseThrow(() -> new NoSuchElementException("no " + name));
    }

    /** The block of one test case. */
    Map<String, String> testCase(int tcId) {
        return blocks.stream()
                .filter(b -> String.valueOf(tcId).equals(b.get("tcId")))
                .findFirst()
                .orElseThrow(() -> new NoSuchElementException("no tcId " + tcId));
    }

    static byte[] hex(String value) {
        return HexFormat.of().parseHex(value);
    }
}
