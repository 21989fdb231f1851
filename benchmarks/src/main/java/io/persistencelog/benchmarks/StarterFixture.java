package io.persistencelog.benchmarks;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import io.persistencelog.AppLogger;
import io.persistencelog.AppLoggerFactory;
import io.persistencelog.BackendNames;
import io.persistencelog.backend.file.FileBackend;
import io.persistencelog.backend.file.FileProperties;
import io.persistencelog.engine.AsyncPersistencePipeline;
import io.persistencelog.engine.ConsoleEchoMode;
import io.persistencelog.engine.DefaultBackendRegistry;
import io.persistencelog.engine.OverflowPolicy;
import io.persistencelog.engine.PipelineHolder;
import io.persistencelog.engine.PipelineSettings;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Set;
import org.slf4j.LoggerFactory;

/**
 * This starter without Spring: the default pipeline settings, the weekly file backend, and {@link AppLogger}s
 * from {@link AppLoggerFactory}, the public API, with the console echo in the given mode.
 *
 * <p>SLF4J is bound to Logback, configured as a Boot application's console is by default: the root logger at
 * INFO with one appender using Boot's console pattern (without colours). The appender writes to
 * {@code /dev/null} through a {@code FileOutputStream}, so the line is formatted, encoded and written with one
 * system call per event as on a real console, without flooding the benchmark's output.
 */
final class StarterFixture implements Subject {

    /** Spring Boot's default console pattern, colours left out. */
    static final String BOOT_CONSOLE_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %5p 4242 --- [bench] [%15.15t] "
            + "%-40.40logger{39} : %m%n%wEx";

    private final AsyncPersistencePipeline pipeline;
    private final AppLogger[] loggers;
    private final Workload.Kind kind;

    private StarterFixture(AsyncPersistencePipeline pipeline, Workload.Kind kind) {
        this.pipeline = pipeline;
        this.kind = kind;
        this.loggers = new AppLogger[Workload.LOGGERS.length];
        for (int i = 0; i < loggers.length; i++) {
            loggers[i] = AppLoggerFactory.getAppLogger(Workload.LOGGERS[i]);
        }
    }

    static StarterFixture start(Path directory, Workload.Kind kind, Use use, String echo) {
        bootConsole();
        PipelineSettings d = PipelineSettings.defaults();
        PipelineSettings settings = new PipelineSettings(Workload.QUEUE_CAPACITY,
                use == Use.LATENCY ? OverflowPolicy.DROP : OverflowPolicy.BLOCK, d.batchSize(), d.batchMaxWait(),
                d.laneCapacity(), d.shutdownTimeout(), d.minLevel(), d.maxValueLength(), d.clock());
        AsyncPersistencePipeline pipeline = new AsyncPersistencePipeline(settings, fileRegistry(directory));
        pipeline.setConsoleEcho(ConsoleEchoMode.parse(echo, "echo"));
        pipeline.start();
        PipelineHolder.install(pipeline);
        return new StarterFixture(pipeline, kind);
    }

    static DefaultBackendRegistry fileRegistry(Path directory) {
        DefaultBackendRegistry registry = new DefaultBackendRegistry(Set.of(BackendNames.FILE));
        registry.register(BackendNames.FILE, () -> new FileBackend(FileProperties.of(directory, ZoneOffset.UTC)));
        return registry;
    }

    /** Binds SLF4J to Logback and configures it like a default Boot console (INFO, Boot's pattern). */
    static synchronized void bootConsole() {
        System.setProperty("slf4j.provider", "ch.qos.logback.classic.spi.LogbackServiceProvider");
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        if (root.getAppender("CONSOLE") != null) {
            return;
        }
        context.reset();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(BOOT_CONSOLE_PATTERN);
        encoder.start();
        OutputStreamAppender<ILoggingEvent> console = new OutputStreamAppender<>();
        console.setContext(context);
        console.setName("CONSOLE");
        console.setEncoder(encoder);
        console.setOutputStream(devNull());
        console.start();
        root.setLevel(Level.INFO);
        root.addAppender(console);
    }

    private static OutputStream devNull() {
        try {
            return new FileOutputStream("/dev/null");
        }
        catch (FileNotFoundException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public void log(long seq) {
        if (kind == Workload.Kind.constant) {
            loggers[0].info(Workload.MESSAGE, Workload.KEY_INT, Workload.intValue(seq), Workload.KEY_STRING,
                    Workload.STRING_VALUE, Workload.KEY_LONG, Workload.longValue(seq));
            return;
        }
        String[] k = Workload.KEYS;
        Throwable error = Workload.error(seq);
        AppLogger logger = loggers[(int) (seq & 3)];
        if (error == null) {
            logger.info(Workload.message(seq), k[0], Workload.intValue(seq), k[1], Workload.longValue(seq), k[2],
                    Workload.doubleValue(seq), k[3], (seq & 1) == 0, k[4], Workload.PATH_VALUE, k[5],
                    Workload.NOTE_VALUE, k[6], Workload.STRING_VALUE, k[7], Workload.NESTED);
        }
        else {
            logger.error(Workload.message(seq), k[0], Workload.intValue(seq), k[1], Workload.longValue(seq), k[2],
                    Workload.doubleValue(seq), k[3], (seq & 1) == 0, k[4], Workload.PATH_VALUE, k[5],
                    Workload.NOTE_VALUE, k[6], Workload.STRING_VALUE, k[7], Workload.NESTED, error);
        }
    }

    @Override
    public void drainAndStop() {
        pipeline.shutdown(Duration.ofMinutes(5));
        PipelineHolder.uninstall(pipeline);
        if (pipeline.droppedCount() != 0 || pipeline.failedCount() != 0) {
            throw new IllegalStateException("starter dropped " + pipeline.droppedCount() + " and failed "
                    + pipeline.failedCount() + " entries: " + pipeline.getMetrics());
        }
    }

    AsyncPersistencePipeline pipeline() {
        return pipeline;
    }
}
