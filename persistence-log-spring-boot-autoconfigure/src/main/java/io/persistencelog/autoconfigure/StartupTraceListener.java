package io.persistencelog.autoconfigure;

import io.persistencelog.LogLevel;
import io.persistencelog.capture.LogbackCapture;
import io.persistencelog.codec.Secrets;
import io.persistencelog.config.BackendProviders;
import io.persistencelog.config.LogPersistenceProperties;
import io.persistencelog.config.PipelineAssembly;
import io.persistencelog.config.SettingsSource;
import io.persistencelog.engine.AsyncPersistencePipeline;
import io.persistencelog.engine.LogSink;
import io.persistencelog.engine.PipelineHolder;
import io.persistencelog.codec.QueuedLogEntry;
import io.persistencelog.engine.StartupBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.context.event.ApplicationStartingEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.GenericApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Makes a failed startup leave its trace, as a plain file appender would.
 *
 * <ul>
 * <li>When the application starts, persisted calls are held in a bounded {@link StartupBuffer} until the
 * context's pipeline runs ({@link LogPersistenceLifecycle#start} delivers them).</li>
 * <li>Once Boot has set up logging, the Logback capture is attached at once (with the
 * {@code log-persistence.capture.*} settings), so SLF4J events of beans that are still being created are
 * held too; the context's own capture takes over the same appender later.</li>
 * <li>When the start fails ({@link ApplicationFailedEvent}), the held entries and an ERROR entry with the
 * exception ("Application run failed", like Boot's own report) are written — to the context's pipeline if it
 * already runs, otherwise to a pipeline built from the environment just for this (the backends that need no
 * bean: {@code file} and {@code console}) and drained within {@code shutdown-timeout}, before Boot goes on to
 * exit.</li>
 * </ul>
 * Registered in {@code META-INF/spring.factories}: it must exist before any context does.
 */
public final class StartupTraceListener implements GenericApplicationListener {

    /** Logger name of the failure entry: the one Boot reports "Application run failed" with. */
    static final String FAILURE_LOGGER = SpringApplication.class.getName();
    static final String FAILURE_MESSAGE = "Application run failed";

    private static final String LOGBACK = "ch.qos.logback.classic.LoggerContext";

    private @Nullable StartupBuffer buffer;
    private @Nullable LogbackCapture earlyCapture;
    private @Nullable ConfigurableEnvironment environment;

    @Override
    public boolean supportsEventType(ResolvableType eventType) {
        Class<?> type = eventType.getRawClass();
        return type != null && (ApplicationStartingEvent.class.isAssignableFrom(type)
                || ApplicationEnvironmentPreparedEvent.class.isAssignableFrom(type)
                || ApplicationStartedEvent.class.isAssignableFrom(type)
                || ApplicationFailedEvent.class.isAssignableFrom(type));
    }

    /** After Boot's logging listener, which (re)initialises Logback on the environment-prepared event. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        try {
            if (event instanceof ApplicationStartingEvent) {
                StartupBuffer created = new StartupBuffer();
                buffer = created;
                PipelineHolder.bufferUntilStarted(created);
            }
            else if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
                environmentPrepared(prepared.getEnvironment());
            }
            else if (event instanceof ApplicationStartedEvent) {
                started();
            }
            else if (event instanceof ApplicationFailedEvent failed) {
                failed(failed.getApplicationContext(), failed.getException());
            }
        }
        catch (RuntimeException | LinkageError ex) {
            // Recording the start must never be what breaks (or hides) it.
            System.err.println("persistence-log: could not record the application start: "
                    + io.persistencelog.codec.Secrets.mask(String.valueOf(ex)));
        }
    }

    private void environmentPrepared(ConfigurableEnvironment env) {
        environment = env;
        if (!enabled(env)) {
            discard();
            return;
        }
        LogPersistenceProperties properties = properties(env);
        StartupBuffer held = buffer;
        if (held != null) {
            held.configure(properties.minLevel(), properties.toRedactor());
        }
        if (env.getProperty("log-persistence.capture.enabled", Boolean.class, true)
                && ClassUtils.isPresent(LOGBACK, getClass().getClassLoader())) {
            attachEarlyCapture(env);
        }
    }

    private void attachEarlyCapture(Environment env) {
        var context = LogbackCapture.currentLoggerContext();
        if (context == null) {
            return;
        }
        CaptureProperties capture = Binder.get(env).bindOrCreate("log-persistence.capture", CaptureProperties.class);
        LogbackCapture early = new LogbackCapture(context, capture.toSettings());
        early.attach();
        earlyCapture = early;
    }

    /** The context's pipeline took the buffer when it started; if none ran (e.g. a slice), nothing will. */
    private void started() {
        detachEarlyCapture();
        discard();
    }

    private void failed(@Nullable ConfigurableApplicationContext context, Throwable failure) {
        ConfigurableEnvironment env = context != null ? context.getEnvironment() : environment;
        StartupBuffer own = buffer;
        buffer = null;
        // Null when the context's pipeline started and took it already.
        StartupBuffer held = own != null && PipelineHolder.releaseStartupBuffer(own) ? own : null;
        try {
            if (env == null || !enabled(env)) {
                return;
            }
            LogSink running = PipelineHolder.current();
            if (held == null && running instanceof AsyncPersistencePipeline pipeline && pipeline.isRunning()) {
                // The pipeline runs: the context's close, which follows this event, drains it.
                pipeline.submit(failureEntry(failure, pipeline.redactor()));
                return;
            }
            persistWithoutContext(env, held, failure);
        }
        catch (RuntimeException | LinkageError ex) {
            // The settings that failed the start (a bad value, two providers of one name, a backend that cannot
            // be created) cannot build this pipeline either. Boot reports the real failure; this says why the
            // trace the user may look for in the weekly file is missing.
            System.err.println("persistence-log: the trace of the failed start could not be written: "
                    + Secrets.mask(ex.getClass().getSimpleName() + ": " + ex.getMessage()));
        }
        finally {
            detachEarlyCapture();
        }
    }

    /**
     * No context pipeline: the same assembly as a plain {@code main}, from the application's environment,
     * with its local backends only (those that do not spool by default, i.e. need no network): a network
     * backend's settings may be what failed the start.
     */
    private static void persistWithoutContext(Environment env, @Nullable StartupBuffer held, Throwable failure) {
        BackendProviders local = BackendProviders.load(StartupTraceListener.class.getClassLoader())
                .filter(provider -> !provider.spoolByDefault());
        SettingsSource settings = SettingsSource.of(env);
        AsyncPersistencePipeline pipeline = PipelineAssembly.build(settings, local, Clock.systemUTC());
        pipeline.start();
        if (held != null) {
            held.deliverTo(pipeline);
        }
        pipeline.submit(failureEntry(failure, pipeline.redactor()));
        pipeline.shutdown(pipeline.settings().shutdownTimeout());
        long failed = pipeline.failedCount();
        long dropped = pipeline.droppedCount();
        if (failed > 0 || dropped > 0) {
            // Nobody reads this pipeline's figures once the JVM exits: a user who finds no trace in the weekly
            // file must learn here that it was lost, and why.
            System.err.println("persistence-log: the trace of the failed start was not fully written (" + failed
                    + " failed, " + dropped + " dropped); check that log-persistence.file.directory="
                    + Path.of(Objects.requireNonNullElse(settings.property("log-persistence.file.directory"), "logs"))
                            .toAbsolutePath()
                    + " is a writable directory");
        }
    }

    private static QueuedLogEntry failureEntry(Throwable failure, io.persistencelog.codec.Redactor redactor) {
        return new QueuedLogEntry(System.currentTimeMillis(), LogLevel.ERROR, FAILURE_LOGGER, FAILURE_MESSAGE,
                Thread.currentThread().getName(), new Object[] { failure }, redactor);
    }

    private void detachEarlyCapture() {
        LogbackCapture early = earlyCapture;
        earlyCapture = null;
        if (early != null) {
            early.detach();
        }
    }

    private void discard() {
        StartupBuffer held = buffer;
        buffer = null;
        if (held != null && PipelineHolder.releaseStartupBuffer(held)) {
            held.discard();
        }
    }

    private static boolean enabled(Environment env) {
        return env.getProperty("log-persistence.enabled", Boolean.class, true);
    }

    private static LogPersistenceProperties properties(Environment env) {
        return Binder.get(env).bindOrCreate("log-persistence", LogPersistenceProperties.class);
    }
}
