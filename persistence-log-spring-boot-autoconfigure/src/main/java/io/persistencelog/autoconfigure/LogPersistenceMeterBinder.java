package io.persistencelog.autoconfigure;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.persistencelog.AppLoggerFactory;
import io.persistencelog.TimingStats;
import io.persistencelog.engine.AsyncPersistencePipeline;
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

    private final AsyncPersistencePipeline pipeline;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    public LogPersistenceMeterBinder(AsyncPersistencePipeline pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("logpersistence.queue.size", pipeline, AsyncPersistencePipeline::queueSize)
                .description("Entries waiting in the shared queue").register(registry);
        Gauge.builder("logpersistence.queue.capacity", pipeline, p -> p.settings().queueCapacity())
                .description("Entries the shared queue holds").register(registry);
        counter(registry, "logpersistence.entries.enqueued", "Entries accepted into the queue",
                AsyncPersistencePipeline::enqueuedCount);
        counter(registry, "logpersistence.entries.persisted", "Entries every active backend persisted",
                AsyncPersistencePipeline::persistedCount);
        counter(registry, "logpersistence.entries.dropped", "Entries refused because the queue was full or stopped",
                AsyncPersistencePipeline::droppedCount);
        counter(registry, "logpersistence.entries.failed", "Entries at least one backend failed or dropped",
                AsyncPersistencePipeline::failedCount);
        // Backends start with the context, after binders run: publish each one's meters when it starts.
        pipeline.onBackendStarted(backend -> bindLane(registry, backend));
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

    private void counter(MeterRegistry registry, String name, String description,
            ToLongFunction<AsyncPersistencePipeline> value) {
        FunctionCounter.builder(name, pipeline, p -> value.applyAsLong(p)).description(description)
                .register(registry);
    }

    private void bindLane(MeterRegistry registry, String backend) {
        laneCounter(registry, "logpersistence.backend.writes", "Entries the backend persisted", backend,
                LaneStats::persisted);
        laneCounter(registry, "logpersistence.backend.failures", "Entries the backend failed to persist", backend,
                LaneStats::failed);
        laneCounter(registry, "logpersistence.backend.dropped", "Entries dropped because the backend's lane was full",
                backend, LaneStats::dropped);
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
        laneCounter(registry, "logpersistence.backend.spool.dropped",
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

    private void laneCounter(MeterRegistry registry, String name, String description, String backend,
            ToLongFunction<LaneStats> value) {
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
