package dev.meshkit.core;

import dev.meshkit.api.spi.Cancellable;
import dev.meshkit.api.spi.NodeRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.random.RandomGenerator;

/** Time moves only when a test says so; timers run in time order as it passes. */
public final class ManualRuntime implements NodeRuntime {
    private final TreeMap<Long, List<Runnable>> timers = new TreeMap<>();
    private long now;
    private long seq;

    /** Moves time on by {@code millis}, running the timers due. */
    public void advance(long millis) {
        long until = now + millis;
        while (!timers.isEmpty() && timers.firstKey() >> 20 <= until) {
            var first = timers.pollFirstEntry();
            now = Math.max(now, first.getKey() >> 20);
            first.getValue().forEach(Runnable::run);
        }
        now = until;
    }

    /** Timers not yet run. */
    public int pending() {
        return timers.size();
    }

    @Override
    public long nowMillis() {
        return now;
    }

    @Override
    public void execute(Runnable task) {
        task.run();
    }

    @Override
    public Cancellable schedule(long delayMillis, Runnable task) {
        long key = ((now + delayMillis) << 20) + (seq++ & 0xFFFFF);
        timers.put(key, new ArrayList<>(List.of(task)));
        return () -> timers.remove(key);
    }

    @Override
    public boolean inEventLoop() {
        return true;
    }

    @Override
    public RandomGenerator random() {
        return RandomGenerator.getDefault();
    }

    @Override
    public Executor workers() {
        return Runnable::run;
    }

    @Override
    public void close() {
    }
}
