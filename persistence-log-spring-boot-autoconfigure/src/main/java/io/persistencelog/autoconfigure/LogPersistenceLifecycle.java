package io.persistencelog.autoconfigure;

import io.persistencelog.LogPersistenceHandler;
import io.persistencelog.engine.AsyncPersistencePipeline;
import io.persistencelog.engine.LogSink;
import io.persistencelog.engine.PipelineHolder;
import io.persistencelog.engine.StartupBuffer;
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

    /**
     * Also called by {@code context.start()} after a {@code context.stop()} (and by a CRaC restore): the
     * pipeline, shut down by the stop, starts again with fresh lanes, and loggers find it again.
     */
    @Override
    void begin() {
        PipelineHolder.install(sink);
        if (handler instanceof AsyncPersistencePipeline pipeline) {
            pipeline.start(); // an application's own handler starts itself
        }
        // What was logged while the context was built waited for this moment (see StartupTraceListener).
        StartupBuffer buffer = PipelineHolder.takeStartupBuffer();
        if (buffer != null) {
            buffer.deliverTo(sink);
        }
    }

    @Override
    void end() {
        PipelineHolder.uninstall(sink);
        handler.shutdown(shutdownTimeout);
    }
}
