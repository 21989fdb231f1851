package io.persistencelog.benchmarks;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import io.persistencelog.capture.PersistenceLogAppender;
import io.persistencelog.engine.AsyncPersistencePipeline;
import io.persistencelog.engine.OverflowPolicy;
import io.persistencelog.engine.PipelineSettings;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The starter's capture path: plain SLF4J events (the same fluent-API calls as the Logback rows) on a private
 * Logback context whose only appender is the starter's {@link PersistenceLogAppender}, persisted by the
 * pipeline to the weekly file. Compared with {@code logback-logstash}: the same events, Logback's
 * {@code AsyncAppender} + logstash-logback-encoder instead.
 */
final class CaptureFixture implements Subject {

    private final LoggerContext context;
    private final AsyncPersistencePipeline pipeline;
    private final Logger[] loggers;
    private final Workload.Kind kind;
    private final boolean waitForRoom;

    private CaptureFixture(LoggerContext context, AsyncPersistencePipeline pipeline, Workload.Kind kind,
            boolean waitForRoom) {
        this.context = context;
        this.waitForRoom = waitForRoom;
        this.pipeline = pipeline;
        this.kind = kind;
        this.loggers = LogbackFixture.loggers(context);
    }

    static CaptureFixture start(Path directory, Workload.Kind kind, Use use) {
        PipelineSettings d = PipelineSettings.defaults();
        // Captured events never wait (a library's log call must not stall): when the queue is full they are
        // dropped and counted, so the throughput harness waits for room in the queue itself; BLOCK makes the
        // dispatcher wait for room in the file's lane instead of dropping for it.
        PipelineSettings settings = new PipelineSettings(Workload.QUEUE_CAPACITY,
                use == Use.LATENCY ? OverflowPolicy.DROP : OverflowPolicy.BLOCK, d.batchSize(),
                d.batchMaxWait(), d.laneCapacity(), d.shutdownTimeout(), d.minLevel(), d.maxValueLength(), d.clock());
        AsyncPersistencePipeline pipeline = new AsyncPersistencePipeline(settings,
                StarterFixture.fileRegistry(directory));
        pipeline.start();
        LoggerContext context = LogbackFixture.newContext();
        PersistenceLogAppender appender = new PersistenceLogAppender(pipeline);
        appender.setContext(context);
        appender.setName("persistence-log");
        appender.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.setLevel(Level.INFO);
        root.addAppender(appender);
        context.start();
        return new CaptureFixture(context, pipeline, kind, use != Use.LATENCY);
    }

    @Override
    public void log(long seq) {
        if (waitForRoom) {
            while (!hasRoom()) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000);
            }
        }
        LogbackFixture.log(loggers, kind, seq);
    }

    /** Room in the queue: the throughput harness waits for it, as a blocking policy would. */
    boolean hasRoom() {
        return pipeline.queueSize() < Workload.QUEUE_CAPACITY - 1024;
    }

    @Override
    public void drainAndStop() {
        pipeline.shutdown(Duration.ofMinutes(5));
        context.stop();
        if (pipeline.droppedCount() != 0 || pipeline.failedCount() != 0) {
            throw new IllegalStateException("capture dropped " + pipeline.droppedCount() + " and failed "
                    + pipeline.failedCount() + " entries: " + pipeline.getMetrics());
        }
    }
}
