package dev.meshkit.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonSyntaxException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A {@code meshkit node --events json} running in its own JVM, with its standard output parsed into
 * events as they come. Closing it kills the process; every node is also told to stop when this JVM
 * ends ({@code --stop-with-pid}), so none can outlive the test even if the test JVM is killed.
 */
final class NodeProcess implements AutoCloseable {
    final String name;
    private final Process process;
    private final Writer stdin;
    private final List<JsonObject> events = new CopyOnWriteArrayList<>();
    private final List<String> notJson = new CopyOnWriteArrayList<>();
    private final StringBuffer stderr = new StringBuffer();
    private final List<Thread> readers = new ArrayList<>();

    private NodeProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        pump(process.getInputStream(), line -> {
            try {
                events.add(JsonParser.parseString(line).getAsJsonObject());
            } catch (JsonSyntaxException | IllegalStateException e) {
                notJson.add(line);
            }
        });
        pump(process.getErrorStream(), line -> stderr.append(line).append('\n'));
    }

    /**
     * Starts {@code meshkit node ARGS} on the runtime class path, or as the {@code dev.meshkit.cli}
     * module on the module path.
     */
    static NodeProcess start(String name, boolean modulePath, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Small, quick-starting JVMs: three of them share the machine with the test.
        cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx96m"));
        if (modulePath) {
            cmd.addAll(List.of("--module-path", runtimePath(), "--module", "dev.meshkit.cli/dev.meshkit.cli.Meshkit"));
        } else {
            cmd.addAll(List.of("-cp", runtimePath(), "dev.meshkit.cli.Meshkit"));
        }
        cmd.add("node");
        cmd.addAll(args);
        cmd.addAll(List.of("--events", "json", "--stop-with-pid", Long.toString(ProcessHandle.current().pid())));
        return new NodeProcess(name, new ProcessBuilder(cmd).start());
    }

    /** mesh-cli's classes and its runtime dependencies, as written by the build. */
    private static String runtimePath() throws IOException {
        Path listFile = Path.of(System.getProperty("meshkit.runtimeClasspathFile", "target/runtime-classpath.txt"));
        String classes = System.getProperty("meshkit.classesDir", "target/classes");
        String deps = Files.readString(listFile).trim();
        return classes + (deps.isEmpty() ? "" : java.io.File.pathSeparator + deps);
    }

    private void pump(InputStream in, Consumer<String> sink) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    sink.accept(line);
                }
            } catch (IOException e) {
                // The process is gone; what was read is kept.
            }
        }, "node-" + name + "-reader");
        t.setDaemon(true);
        t.start();
        readers.add(t);
    }

    /** Waits until everything the exited process wrote has been read. */
    private void drain() throws InterruptedException {
        for (Thread t : readers) {
            t.join(5000);
        }
    }

    /** Events of one kind, in order. */
    List<JsonObject> events(String kind) {
        return events.stream().filter(e -> kind.equals(e.get("event").getAsString())).collect(Collectors.toList());
    }

    /** Events matching {@code p}. */
    List<JsonObject> events(Predicate<JsonObject> p) {
        return events.stream().filter(p).collect(Collectors.toList());
    }

    /** The node-started event, or null before it. */
    JsonObject started() {
        List<JsonObject> s = events("node-started");
        return s.isEmpty() ? null : s.get(0);
    }

    String id() {
        return started().get("id").getAsString();
    }

    String endpoint() {
        return started().getAsJsonArray("endpoints").get(0).getAsString();
    }

    /** The neighbours the events say are connected now. */
    Set<String> peers() {
        Set<String> now = new LinkedHashSet<>();
        for (JsonObject e : events) {
            String kind = e.get("event").getAsString();
            if (kind.equals("peer-connected")) {
                now.add(e.get("peer").getAsString());
            } else if (kind.equals("peer-disconnected")) {
                now.remove(e.get("peer").getAsString());
            }
        }
        return now;
    }

    /** Lines of standard output that were not JSON (there should be none). */
    List<String> notJson() {
        return notJson;
    }

    String stderr() {
        return stderr.toString();
    }

    /** Types {@code line} into the node's standard input. */
    void type(String line) throws IOException {
        stdin.write(line + "\n");
        stdin.flush();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Sends SIGTERM (a polite stop) and waits for the process to exit; returns the exit code. */
    int terminate(Duration wait) throws InterruptedException {
        // Through the handle: Process.destroy() would also close our end of the pipes and lose the
        // last lines the node prints while it stops.
        process.toHandle().destroy();
        if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " did not exit within " + wait + " of SIGTERM\n" + describe());
        }
        drain();
        return process.exitValue();
    }

    /** kill -9. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** What the node printed, for assertion messages. */
    String describe() {
        return "--- " + name + (process.isAlive() ? " (running)" : " (exit " + process.exitValue() + ")")
                + "\nevents:\n" + events.stream().map(JsonObject::toString).collect(Collectors.joining("\n"))
                + "\nnot json: " + notJson + "\nstderr:\n" + stderr + "\n";
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
