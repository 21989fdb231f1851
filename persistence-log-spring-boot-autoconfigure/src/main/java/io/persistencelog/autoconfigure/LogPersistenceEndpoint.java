package io.persistencelog.autoconfigure;

import io.persistencelog.AppLoggerFactory;
import io.persistencelog.LogPersistenceHandler;
import io.persistencelog.TimingStats;
import io.persistencelog.BackendRegistry;
import io.persistencelog.engine.DefaultBackendRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@code /actuator/logpersistence}: caller-side timing per logger, queue figures, and each active backend's
 * metrics. {@code /actuator/logpersistence/{backend}} answers one backend (404 for any other name); a POST
 * flushes, bounded in time.
 */
@Endpoint(id = "logpersistence")
public class LogPersistenceEndpoint {

    static final Duration MAX_FLUSH_WAIT = Duration.ofSeconds(5);

    private final LogPersistenceHandler handler;
    private final BackendRegistry registry;
    private final List<LogPersistenceReportContributor> contributors;

    public LogPersistenceEndpoint(LogPersistenceHandler handler, BackendRegistry registry) {
        this(handler, registry, List.of());
    }

    public LogPersistenceEndpoint(LogPersistenceHandler handler, BackendRegistry registry,
            List<LogPersistenceReportContributor> contributors) {
        this.handler = handler;
        this.registry = registry;
        this.contributors = List.copyOf(contributors);
    }

    @ReadOperation
    public Map<String, Object> report() {
        Map<String, Object> report = new LinkedHashMap<>();
        Map<String, Object> loggers = new LinkedHashMap<>();
        AppLoggerFactory.getTimingStats().forEach((name, stats) -> loggers.put(name, timing(stats)));
        report.put("logger", loggers);
        report.put("persistence", handler.getMetrics());
        report.put("backends", registry.getAllMetrics());
        report.put("activeBackends", registry.getActiveBackends().stream().map(b -> b.name()).toList());
        report.put("unknownBackends", registry.getUnknownBackends());
        // The built-in registry knows why; an application's own registry only which names it lacks.
        report.put("unavailableReasons", registry instanceof DefaultBackendRegistry builtIn
                ? builtIn.unavailableReasons() : Map.of());
        for (LogPersistenceReportContributor contributor : contributors) {
            report.put(contributor.section(), contributor.figures());
        }
        return report;
    }

    @ReadOperation
    public @Nullable Map<String, Object> backend(@Selector String backend) {
        return registry.getAllMetrics().get(backend);
    }

    /** Waits (at most 5 s) until everything accepted so far is persisted; reports whether it was. */
    @WriteOperation
    public Map<String, Object> flush() {
        long start = System.nanoTime();
        boolean flushed = handler.flush(MAX_FLUSH_WAIT);
        return Map.of("flushed", flushed, "tookMs", (System.nanoTime() - start) / 1_000_000);
    }

    private static Map<String, Object> timing(TimingStats s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("totalCalls", s.totalCalls());
        m.put("avgTimeMs", s.avgTimeMs());
        m.put("minTimeMs", s.minTimeMs());
        m.put("maxTimeMs", s.maxTimeMs());
        m.put("p50TimeMs", s.p50TimeMs());
        m.put("p99TimeMs", s.p99TimeMs());
        m.put("p999TimeMs", s.p999TimeMs());
        return m;
    }
}
