package dev.meshkit.benchmarks.jmh;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints a Markdown table of the median, minimum and maximum of the measurement iterations in a JMH
 * JSON result file ({@code -rf json}). Medians resist the odd iteration disturbed by other work on a
 * shared machine better than JMH's mean.
 *
 * <pre>java -cp benchmarks.jar dev.meshkit.benchmarks.jmh.JmhMedians jmh-result.json</pre>
 */
public final class JmhMedians {
    private JmhMedians() {
    }

    /** Reads each file named and prints its table. */
    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: JmhMedians RESULT.json...");
            System.exit(2);
        }
        for (String file : args) {
            try (Reader r = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
                print(JsonParser.parseReader(r).getAsJsonArray());
            }
        }
    }

    static void print(JsonArray results) {
        System.out.println("| benchmark | params | median | min | max | unit |");
        System.out.println("|---|---|---:|---:|---:|---|");
        for (JsonElement e : results) {
            JsonObject b = e.getAsJsonObject();
            String name = b.get("benchmark").getAsString();
            name = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            StringBuilder params = new StringBuilder();
            if (b.has("params")) {
                for (Map.Entry<String, JsonElement> p : b.getAsJsonObject("params").entrySet()) {
                    params.append(params.length() == 0 ? "" : ", ").append(p.getKey()).append('=')
                            .append(p.getValue().getAsString());
                }
            }
            JsonObject primary = b.getAsJsonObject("primaryMetric");
            List<Double> values = new ArrayList<>();
            for (JsonElement fork : primary.getAsJsonArray("rawData")) {
                for (JsonElement v : fork.getAsJsonArray()) {
                    values.add(v.getAsDouble());
                }
            }
            Collections.sort(values);
            int n = values.size();
            double median = n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
            System.out.printf(Locale.ROOT, "| %s | %s | %,.0f | %,.0f | %,.0f | %s |%n", name, params, median,
                    values.get(0), values.get(n - 1), primary.get("scoreUnit").getAsString());
        }
    }
}
