package io.persistencelog.autoconfigure;

import io.persistencelog.LogPersistenceHandler;
import io.persistencelog.engine.AsyncPersistencePipeline;
import io.persistencelog.engine.LogSink;
import io.persistencelog.engine.PipelineHolder;
import java.time.Duration;

/**
 * Starts the pipeline once every bean exists (so backends registered in {@code @PostConstruct} count) and
 * stops it late: its phase is below the web server's, so requests still being served during graceful
 * shutdown are logged and drained before the backends close.
 */
public final class LogPersistenceLifecycle extends PhasedLifecycle {

    /** Lower than the web server's graceful-shutdown and start/stop phases: stop after them. */
    public static final int PHASE = Integer.MIN_VALUE + 1000;

    private final LogPersistenceHandler handler;
    private final LogSink sink;
    private final Duration shutdownTimeout;

    /** For the built-in pipeline. */
    public LogPersistenceLifecycle(AsyncPersistencePipeline pipeline, Duration shutdownTimeout) {
        this(pipeline, pipeline, shutdownTimeout);
    }

    /**
     * For any handler, the application's own included: {@code sink} is where {@code AppLogger} calls and
     * captured events go (the handler itself, or an adapter that submits to it).
     */
    public LogPersistenceLifecycle(LogPersistenceHandler handler, LogSink sink, Duration shutdownTimeout) {
        super(PHASE);
        this.handler = handler;
        this.sink = sink;
        this.shutdownTimeout = shutdownTimeout;
        // Install at once: entries logged while the context starts wait in the queue instead of being lost.
        PipelineHolder.install(sink);
    }

    @Override
    void begin() {
        if (handler instanceof AsyncPersistencePipeline pipeline) {
            pipeline.start(); // an application's own handler starts itself
        }
    }

    @Override
    void end() {
        PipelineHolder.uninstall(sink);
        handler.shutdown(shutdownTimeout);
    }
}
