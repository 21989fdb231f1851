package io.persistencelog.autoconfigure;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.persistencelog.AppLoggerFactory;
import io.persistencelog.TimingStats;
import io.persistencelog.LogPersistenceHandler;
import io.persistencelog.engine.AsyncPersistencePipeline;
import org.jspecify.annotations.Nullable;
import io.persistencelog.engine.LaneStats;
import org.springframework.beans.factory.DisposableBean;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Publishes the pipeline's figures as Micrometer meters under {@code logpersistence.}, so
 * {@code /actuator/prometheus} and every other registry show them. Meters read the live counters
 * (function counters and gauges): nothing is recorded twice and the hot path is untouched.
 */
public class LogPersistenceMeterBinder implements MeterBinder, DisposableBean {

    private final LogPersistenceHandler handler;
    /** The built-in pipeline, whose lanes have meters of their own; null for an application's own handler. */
    private final @Nullable AsyncPersistencePipeline pipeline;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    /** For any handler: queue meters from its documented figures; lane meters for the built-in pipeline. */
    public LogPersistenceMeterBinder(LogPersistenceHandler handler) {
        this.handler = handler;
        this.pipeline = handler instanceof AsyncPersistencePipeline builtIn ? builtIn : null;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        AsyncPersistencePipeline builtIn = pipeline;
        Gauge.builder("logpersistence.queue.size", handler, h -> figure(h, "queueSize"))
                .description("Entries waiting in the shared queue").register(registry);
        Gauge.builder("logpersistence.queue.capacity", handler, h -> figure(h, "queueCapacity"))
                .description("Entries the shared queue holds").register(registry);
        counter(registry, "logpersistence.entries.enqueued", "Entries accepted into the queue", "enqueued");
        counter(registry, "logpersistence.entries.persisted", "Entries every active backend persisted", "persisted");
        counter(registry, "logpersistence.entries.dropped", "Entries refused because the queue was full or stopped",
                "dropped");
        counter(registry, "logpersistence.entries.failed", "Entries at least one backend failed or dropped",
                "failedLogs");
        if (builtIn != null) {
            // Backends start with the context, after binders run: publish each one's meters when it starts.
            builtIn.onBackendStarted(backend -> bindLane(registry, builtIn, backend));
        }
        // Loggers are usually created in static fields of classes loaded later: publish each as it appears.
        Consumer<String> listener = name -> bindLoggerTiming(registry, name);
        listeners.add(listener);
        AppLoggerFactory.onTimedLogger(listener);
    }

    /** Stops publishing new loggers' meters once the context (and its registry) is gone. */
    @Override
    public void destroy() {
        listeners.forEach(AppLoggerFactory::removeTimedLoggerListener);
        listeners.clear();
    }

    private void counter(MeterRegistry registry, String name, String description, String figure) {
        FunctionCounter.builder(name, handler, h -> figure(h, figure)).description(description).register(registry);
    }

    private static double figure(LogPersistenceHandler handler, String name) {
        return LogPersistenceHealthIndicator.figure(handler.getMetrics(), name);
    }

    private void bindLane(MeterRegistry registry, AsyncPersistencePipeline pipeline, String backend) {
        laneCounter(registry, pipeline, "logpersistence.backend.writes", "Entries the backend persisted", backend,
                LaneStats::persisted);
        laneCounter(registry, pipeline, "logpersistence.backend.failures", "Entries the backend failed to persist",
                backend, LaneStats::failed);
        laneCounter(registry, pipeline, "logpersistence.backend.dropped",
                "Entries dropped because the backend's lane was full", backend, LaneStats::dropped);
        Gauge.builder("logpersistence.backend.inflight", pipeline, p -> laneValue(p, backend, LaneStats::inFlight))
                .description("Entries handed to the backend and not yet settled").tag("backend", backend)
                .register(registry);
        FunctionTimer.builder("logpersistence.backend.write", pipeline,
                p -> (long) laneValue(p, backend, s -> s.writeLatency().count()),
                p -> laneValue(p, backend, s -> s.writeLatency().meanMs() * s.writeLatency().count()),
                TimeUnit.MILLISECONDS)
                .description("Time the backend took per batch write").tag("backend", backend).register(registry);
        FunctionCounter.builder("logpersistence.backend.retries", pipeline, p -> p.backendFigure(backend, "retries"))
                .description("Requests or batches the backend retried").tag("backend", backend).register(registry);
        Gauge.builder("logpersistence.backend.spooled", pipeline, p -> p.backendFigure(backend, "spooled"))
                .description("Entries of the backend waiting in the disk spool").tag("backend", backend)
                .register(registry);
        laneCounter(registry, pipeline, "logpersistence.backend.spool.dropped",
                "Entries the backend's full spool dropped (drop-oldest) or refused (drop-newest)", backend,
                LaneStats::spoolDropped);
        Gauge.builder("logpersistence.backend.spool.fill", pipeline, p -> laneValue(p, backend,
                LaneStats::spoolFillPercent))
                .description("How full the backend's disk spool is, in percent").tag("backend", backend)
                .baseUnit("percent").register(registry);
        Gauge.builder("logpersistence.backend.paused", pipeline,
                p -> laneValue(p, backend, s -> "CLOSED".equals(s.circuitState()) ? 0 : 1))
                .description("1 while the backend is paused by its circuit breaker (open or probing), else 0")
                .tag("backend", backend).register(registry);
        TimeGauge.builder("logpersistence.backend.write.p99", pipeline, TimeUnit.MILLISECONDS,
                p -> laneValue(p, backend, s -> s.writeLatency().p99Ms()))
                .description("99th percentile of the backend's batch write time").tag("backend", backend)
                .register(registry);
    }

    private static void laneCounter(MeterRegistry registry, AsyncPersistencePipeline pipeline, String name,
            String description, String backend, ToLongFunction<LaneStats> value) {
        FunctionCounter.builder(name, pipeline, p -> laneValue(p, backend, s -> value.applyAsLong(s)))
                .description(description).tag("backend", backend).register(registry);
    }

    private static double laneValue(AsyncPersistencePipeline pipeline, String backend, ToDoubleFunction<LaneStats> f) {
        LaneStats stats = pipeline.laneStats(backend);
        return stats == null ? 0 : f.applyAsDouble(stats);
    }

    private static void bindLoggerTiming(MeterRegistry registry, String logger) {
        FunctionCounter.builder("logpersistence.logger.calls", logger, n -> timing(n).totalCalls())
                .description("Log calls of an AppLogger created with timing").tag("logger", logger).register(registry);
        TimeGauge.builder("logpersistence.logger.call.p99", logger, TimeUnit.MILLISECONDS, n -> timing(n).p99TimeMs())
                .description("99th percentile of the caller-side cost of a log call").tag("logger", logger)
                .register(registry);
    }

    private static TimingStats timing(String logger) {
        return AppLoggerFactory.getTimingStats().getOrDefault(logger, TimingStats.EMPTY);
    }
}
