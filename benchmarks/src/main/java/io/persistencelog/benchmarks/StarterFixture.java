package io.persistencelog.benchmarks;

import io.persistencelog.AppLogger;
import io.persistencelog.AppLoggerFactory;
import io.persistencelog.BackendNames;
import io.persistencelog.backend.file.FileBackend;
import io.persistencelog.backend.file.FileProperties;
import io.persistencelog.engine.AsyncPersistencePipeline;
import io.persistencelog.engine.DefaultBackendRegistry;
import io.persistencelog.engine.OverflowPolicy;
import io.persistencelog.engine.PipelineHolder;
import io.persistencelog.engine.PipelineSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Set;

/**
 * This starter without Spring: the default pipeline settings, the weekly file backend, and an
 * {@link AppLogger} from {@link AppLoggerFactory}, the public API.
 *
 * <p>{@code AppLogger} also echoes every call to SLF4J. The benchmark JVM binds SLF4J to its no-op provider,
 * so the echo costs only a level check (as in an application that turns that logger's console output
 * off); otherwise the benchmark would also measure a console appender.
 */
final class StarterFixture {

    static {
        System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
    }

    private final AsyncPersistencePipeline pipeline;
    private final AppLogger logger;

    private StarterFixture(AsyncPersistencePipeline pipeline) {
        this.pipeline = pipeline;
        this.logger = AppLoggerFactory.getAppLogger(Workload.LOGGER);
    }

    static StarterFixture start(Path directory, OverflowPolicy whenFull) {
        PipelineSettings d = PipelineSettings.defaults();
        PipelineSettings settings = new PipelineSettings(Workload.QUEUE_CAPACITY, whenFull, d.batchSize(),
                d.batchMaxWait(), d.laneCapacity(), d.shutdownTimeout(), d.minLevel(), d.maxValueLength(),
                d.clock());
        DefaultBackendRegistry registry = new DefaultBackendRegistry(Set.of(BackendNames.FILE));
        registry.register(BackendNames.FILE, () -> new FileBackend(FileProperties.of(directory, ZoneOffset.UTC)));
        AsyncPersistencePipeline pipeline = new AsyncPersistencePipeline(settings, registry);
        pipeline.start();
        PipelineHolder.install(pipeline);
        return new StarterFixture(pipeline);
    }

    void log(long seq) {
        logger.info(Workload.MESSAGE, Workload.KEY_INT, Workload.intValue(seq), Workload.KEY_STRING,
                Workload.STRING_VALUE, Workload.KEY_LONG, Workload.longValue(seq));
    }

    /** Drains the queue, writes and closes the file; fails if anything was dropped or failed. */
    void drainAndStop() {
        pipeline.shutdown(Duration.ofMinutes(5));
        PipelineHolder.uninstall(pipeline);
        if (pipeline.droppedCount() != 0 || pipeline.failedCount() != 0) {
            throw new IllegalStateException("starter dropped " + pipeline.droppedCount() + " and failed "
                    + pipeline.failedCount() + " entries: " + pipeline.getMetrics());
        }
    }

    long dropped() {
        return pipeline.droppedCount();
    }
}
