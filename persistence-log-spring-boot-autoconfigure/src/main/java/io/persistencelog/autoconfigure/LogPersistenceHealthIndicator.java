package io.persistencelog.autoconfigure;

import io.persistencelog.LogBackend;
import io.persistencelog.LogPersistenceHandler;
import io.persistencelog.engine.AsyncPersistencePipeline;
import java.util.List;
import io.persistencelog.engine.LaneStats;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * UP while logs are being persisted. DOWN when a backend has failed every write for longer than the
 * threshold, or the queue has stayed above its fill ratio for longer than allowed. Details name the
 * culprit and its last error (secrets masked).
 */
public class LogPersistenceHealthIndicator extends AbstractHealthIndicator {

    private final LogPersistenceHandler handler;
    private final LogPersistenceHealthProperties properties;
    private final Clock clock;
    private volatile long queueAboveSince;

    /** For any handler; lanes are judged only for the built-in pipeline, which has them. */
    public LogPersistenceHealthIndicator(LogPersistenceHandler handler, LogPersistenceHealthProperties properties,
            Clock clock) {
        super("Log persistence health check failed");
        this.handler = handler;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        long now = clock.millis();
        boolean down = !handler.isRunning();
        Map<String, Object> figures = handler.getMetrics();
        long size = figure(figures, "queueSize");
        long capacity = figure(figures, "queueCapacity");
        double fill = capacity <= 0 ? 0 : (double) size / capacity;
        builder.withDetail("queueSize", size).withDetail("queueCapacity", capacity);
        if (fill > properties.queueFillRatio()) {
            if (queueAboveSince == 0) {
                queueAboveSince = now;
            }
            Duration above = Duration.ofMillis(now - queueAboveSince);
            builder.withDetail("queueBackedUpFor", above.toString());
            down |= above.compareTo(properties.queueFillDuration()) >= 0;
        }
        else {
            queueAboveSince = 0;
        }
        Map<String, Object> backends = new LinkedHashMap<>();
        // Lanes exist in the built-in pipeline; an application's own handler is judged by its queue alone.
        List<LogBackend> active = handler instanceof AsyncPersistencePipeline builtIn
                ? builtIn.registry().getActiveBackends() : List.of();
        for (LogBackend backend : active) {
            LaneStats stats = ((AsyncPersistencePipeline) handler).laneStats(backend.name());
            if (stats == null) {
                continue;
            }
            Map<String, Object> detail = new LinkedHashMap<>();
            long failingSince = stats.failingSince();
            // Measured on the monotonic clock: the wall clock and the application's Clock bean may step.
            boolean failing = failingSince != 0
                    && stats.failingFor().compareTo(properties.backendFailureThreshold()) >= 0;
            // A spool that has to drop entries is losing them now: DOWN at once, not after the threshold.
            boolean spoolDropping = stats.spoolDroppedThisOutage() > 0;
            failing |= spoolDropping;
            detail.put("status", failing ? "DOWN" : "UP");
            detail.put("circuit", stats.circuitState());
            detail.put("failedWrites", stats.failed());
            if (failingSince != 0) {
                detail.put("failingSince", Instant.ofEpochMilli(failingSince).toString());
                detail.put("lastError", stats.lastError());
            }
            if (stats.spooling()) {
                detail.put("spooled", stats.spooledEntries());
                detail.put("spoolFillPercent", Math.round(stats.spoolFillPercent() * 10) / 10.0);
                detail.put("spoolDropped", stats.spoolDropped());
                if (spoolDropping) {
                    detail.put("spoolDropping", true);
                }
            }
            backends.put(backend.name(), detail);
            down |= failing;
        }
        builder.withDetail("backends", backends).withDetail("dropped", figure(figures, "dropped"));
        if (down) {
            builder.down();
        }
        else {
            builder.up();
        }
    }

    /** A number among the handler's documented figures ({@code queueSize}, {@code dropped}, ...); 0 when absent. */
    static long figure(Map<String, Object> figures, String name) {
        return figures.get(name) instanceof Number n ? n.longValue() : 0;
    }
}
