package io.persistencelog.engine;

import io.persistencelog.codec.Secrets;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The pipeline {@code AppLoggerFactory} loggers write to. Spring installs its own; a plain {@code main}
 * gets a standalone pipeline built from the environment on the first persisted call. In a Spring
 * application no standalone pipeline is ever built: calls made while no context pipeline is installed
 * reach only the console and are counted.
 */
public final class PipelineHolder {

    private static final Deque<LogSink> installed = new ArrayDeque<>();
    private static volatile @Nullable LogSink current;
    private static volatile boolean springManaged;
    private static final AtomicLong unpersistedCalls = new AtomicLong();
    private static volatile @Nullable AsyncPersistencePipeline standalone;
    /** Builds the pipeline of a plain {@code main}; set by the API's entry point, which sits above the engine. */
    private static volatile @Nullable Supplier<AsyncPersistencePipeline> standaloneFactory;
    private static @Nullable RuntimeException standaloneFailure;

    private PipelineHolder() {
    }

    /** The sink for persisted calls; null when nothing can persist right now. */
    public static @Nullable LogSink sink() {
        LogSink sink = current;
        if (sink == null) {
            sink = standalone; // a volatile read: the lock below is taken only to build it, once
        }
        if (sink == null && !springManaged) {
            sink = standalone();
        }
        if (sink == null) {
            unpersistedCalls.incrementAndGet();
        }
        return sink;
    }

    /** The installed sink, without building a standalone one and without counting. */
    public static @Nullable LogSink current() {
        return current;
    }

    /** Marks this JVM as a Spring application: loggers wait for a context's pipeline instead. */
    public static void markSpringManaged() {
        springManaged = true;
    }

    public static synchronized void install(LogSink sink) {
        markSpringManaged();
        installed.remove(sink);
        installed.push(sink);
        current = sink;
        if (standalone != null) {
            standalone.shutdown(standalone.settings().shutdownTimeout());
            standalone = null;
        }
    }

    public static synchronized void uninstall(LogSink sink) {
        installed.remove(sink);
        current = installed.peek();
    }

    /** How a plain {@code main} builds its pipeline on the first persisted call. */
    public static void useStandaloneFactory(Supplier<AsyncPersistencePipeline> factory) {
        standaloneFactory = factory;
    }

    /** Persisted calls that found no pipeline (e.g. after the context closed). */
    public static long unpersistedCalls() {
        return unpersistedCalls.get();
    }

    private static synchronized @Nullable LogSink standalone() {
        if (current != null) {
            return current;
        }
        if (springManaged) {
            return null;
        }
        AsyncPersistencePipeline pipeline = standalone;
        if (pipeline == null) {
            Supplier<AsyncPersistencePipeline> factory = standaloneFactory;
            if (standaloneFailure != null || factory == null) {
                return null; // misconfigured: said once, not retried on every call
            }
            try {
                pipeline = factory.get();
            }
            catch (RuntimeException ex) {
                standaloneFailure = ex;
                System.err.println("persistence-log: cannot build the log pipeline from the environment, so logs "
                        + "reach only the console: " + Secrets.mask(String.valueOf(ex.getMessage())));
                return null;
            }
            standalone = pipeline;
            AsyncPersistencePipeline toStop = pipeline;
            Runtime.getRuntime().addShutdownHook(new Thread(
                    () -> toStop.shutdown(toStop.settings().shutdownTimeout()), "persistence-log-shutdown"));
        }
        return pipeline;
    }
}
