package io.persistencelog.engine;

import io.persistencelog.LogBackend;
import io.persistencelog.LogLevel;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

/** Builds pipelines for tests. */
public final class Pipelines {

    private Pipelines() {
    }

    public static PipelineSettings settings(int capacity, OverflowPolicy policy) {
        return new PipelineSettings(capacity, policy, Math.min(100, capacity), Duration.ZERO, capacity, Duration.ofSeconds(10),
                LogLevel.TRACE, PipelineSettings.DEFAULT_MAX_VALUE_LENGTH, Clock.systemUTC());
    }

    public static AsyncPersistencePipeline started(PipelineSettings settings, LogBackend... backends) {
        Set<String> names = new LinkedHashSet<>();
        for (LogBackend b : backends) {
            names.add(b.name());
        }
        DefaultBackendRegistry registry = new DefaultBackendRegistry(names);
        for (LogBackend b : backends) {
            registry.register(b);
        }
        AsyncPersistencePipeline pipeline = new AsyncPersistencePipeline(settings, registry);
        pipeline.start();
        return pipeline;
    }

    /** What a test does with a running pipeline. */
    @FunctionalInterface
    public interface PipelineTest {
        void run(AsyncPersistencePipeline pipeline) throws Exception;
    }

    /** Runs {@code test} on a started pipeline (queue 100, policy drop) writing to {@code backend}, then shuts it down. */
    public static void withStarted(LogBackend backend, PipelineTest test) throws Exception {
        AsyncPersistencePipeline pipeline = started(settings(100, OverflowPolicy.DROP), backend);
        try {
            test.run(pipeline);
        }
        finally {
            pipeline.shutdown(Duration.ofSeconds(5));
        }
    }
}
