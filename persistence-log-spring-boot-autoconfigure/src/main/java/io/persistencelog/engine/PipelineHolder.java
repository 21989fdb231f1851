package io.persistencelog.engine;

import io.persistencelog.codec.Redactor;
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
    private static final StandaloneSlot standaloneSlot = new StandaloneSlot();
    /** Holds calls while a Spring application starts, until its pipeline runs (or the start fails). */
    private static volatile @Nullable StartupBuffer startupBuffer;

    private PipelineHolder() {
    }

    /** The sink for persisted calls; null when nothing can persist right now. */
    public static @Nullable LogSink sink() {
        StartupBuffer buffer = startupBuffer;
        if (buffer != null) {
            return buffer; // an installed pipeline that does not run yet would lose them if the start fails
        }
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

    /**
     * The masking of the sink a call would reach now, for a console line that is not persisted (a
     * {@code persist=false} logger, no pipeline): during a Spring start the startup buffer already has the
     * application's settings, which the defaults may lack. Never builds a pipeline, never counts.
     */
    public static Redactor consoleRedactor() {
        LogSink sink = startupBuffer;
        if (sink == null) {
            sink = current;
        }
        if (sink == null) {
            sink = standalone;
        }
        return sink == null ? Redactor.defaults() : sink.redactor();
    }

    /** Marks this JVM as a Spring application: loggers wait for a context's pipeline instead. */
    public static void markSpringManaged() {
        springManaged = true;
    }

    /**
     * A Spring application starts: until {@link #takeStartupBuffer} is called (when its pipeline starts, or
     * the start fails), persisted calls wait in the buffer. Ignored while another context's pipeline is
     * installed, so a second application in the same JVM does not hold the first one's entries.
     */
    public static synchronized void bufferUntilStarted(StartupBuffer buffer) {
        markSpringManaged();
        if (current == null && startupBuffer == null) {
            startupBuffer = buffer;
        }
    }

    /** Ends buffering and returns the buffer (null when there was none) for delivery or discarding. */
    public static synchronized @Nullable StartupBuffer takeStartupBuffer() {
        StartupBuffer buffer = startupBuffer;
        startupBuffer = null;
        return buffer;
    }

    /** Ends buffering if this buffer is still the one in use; true when it was. */
    public static synchronized boolean releaseStartupBuffer(StartupBuffer buffer) {
        if (startupBuffer != buffer) {
            return false;
        }
        startupBuffer = null;
        return true;
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
            pipeline = factory == null ? null : standaloneSlot.get(factory);
            if (pipeline == null) {
                return null;
            }
            standalone = pipeline;
            AsyncPersistencePipeline toStop = pipeline;
            Runtime.getRuntime().addShutdownHook(new Thread(
                    () -> toStop.shutdown(toStop.settings().shutdownTimeout()), "persistence-log-shutdown"));
        }
        return pipeline;
    }

    /**
     * Builds the standalone pipeline at most once. A failure of any kind, an {@link Error} included (an
     * {@code OutOfMemoryError} while building, a missing class), is reported once and remembered: retrying
     * the build on every log call would make each call pay for it again.
     */
    static final class StandaloneSlot {

        private @Nullable AsyncPersistencePipeline built;
        private @Nullable Throwable failure;

        synchronized @Nullable AsyncPersistencePipeline get(Supplier<AsyncPersistencePipeline> build) {
            if (built != null || failure != null) {
                return built;
            }
            try {
                built = build.get();
            }
            catch (Throwable ex) {
                failure = ex;
                System.err.println("persistence-log: cannot build the log pipeline from the environment, so logs "
                        + "reach only the console: " + ex.getClass().getSimpleName() + ": "
                        + Secrets.mask(String.valueOf(ex.getMessage())));
            }
            return built;
        }
    }
}
