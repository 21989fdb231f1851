package io.persistencelog.autoconfigure;

import io.persistencelog.engine.AsyncPersistencePipeline;
import io.persistencelog.engine.PipelineHolder;
import io.persistencelog.engine.StartupBuffer;
import java.time.Duration;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the pipeline once every bean exists (so backends registered in {@code @PostConstruct} count) and
 * stops it late: its phase is below the web server's, so requests still being served during graceful
 * shutdown are logged and drained before the backends close.
 */
public final class LogPersistenceLifecycle implements SmartLifecycle, DisposableBean {

    /** Lower than the web server's graceful-shutdown and start/stop phases: stop after them. */
    public static final int PHASE = Integer.MIN_VALUE + 1000;

    private final AsyncPersistencePipeline pipeline;
    private final Duration shutdownTimeout;
    private volatile boolean running;

    public LogPersistenceLifecycle(AsyncPersistencePipeline pipeline, Duration shutdownTimeout) {
        this.pipeline = pipeline;
        this.shutdownTimeout = shutdownTimeout;
        // Install at once: entries logged while the context starts wait in the queue instead of being lost.
        PipelineHolder.install(pipeline);
    }

    /**
     * Also called by {@code context.start()} after a {@code context.stop()} (and by a CRaC restore): the
     * pipeline, shut down by the stop, starts again with fresh lanes, and loggers find it again.
     */
    @Override
    public void start() {
        PipelineHolder.install(pipeline);
        pipeline.start();
        running = true;
        // What was logged while the context was built waited for this moment (see StartupTraceListener).
        StartupBuffer buffer = PipelineHolder.takeStartupBuffer();
        if (buffer != null) {
            buffer.deliverTo(pipeline);
        }
    }

    @Override
    public void stop() {
        running = false;
        PipelineHolder.uninstall(pipeline);
        pipeline.shutdown(shutdownTimeout);
    }

    /** Also covers a context that failed before it started: the pipeline never outlives its context. */
    @Override
    public void destroy() {
        PipelineHolder.uninstall(pipeline);
        pipeline.shutdown(shutdownTimeout);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
