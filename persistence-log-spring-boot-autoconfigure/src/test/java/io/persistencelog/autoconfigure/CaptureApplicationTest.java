package io.persistencelog.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.Appender;
import com.jayway.jsonpath.JsonPath;
import io.persistencelog.AppLoggerFactory;
import io.persistencelog.LogBackend;
import io.persistencelog.LogEntry;
import io.persistencelog.LogPersistenceHandler;
import io.persistencelog.capture.LogbackCapture;
import io.persistencelog.capture.PersistenceLogAppender;
import io.persistencelog.engine.AsyncPersistencePipeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.logging.LoggingInitializationContext;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.ContextRefreshedEvent;

/**
 * Whole applications started with {@code SpringApplication.run}, so Spring Boot initialises (and resets)
 * Logback as it does in production; the entries are read back from the weekly file.
 */
@ExtendWith(OutputCaptureExtension.class)
class CaptureApplicationTest {

    private static final Duration FLUSH = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    @Test
    void slf4jKeyValuesMdcAndThrowablesReachTheWeeklyFile() {
        Path logs = tmp.resolve("logs");
        try (ConfigurableApplicationContext context = run(App.class, logs)) {
            Logger log = LoggerFactory.getLogger("com.example.signup.SignupService");
            MDC.put("request_id", "req-42");
            try {
                log.atInfo().addKeyValue("user_id", 123).addKeyValue("plan", "pro").log("user {} signed up", "ada");
                log.atError().setCause(new IllegalStateException("card declined")).addKeyValue("user_id", 123)
                        .log("payment failed");
            }
            finally {
                MDC.remove("request_id");
            }
            assertThat(context.getBean(LogPersistenceHandler.class).flush(FLUSH)).isTrue();

            List<Map<String, Object>> lines = linesOf(logs, "com.example.signup.SignupService");
            assertThat(lines).hasSize(2);
            Map<String, Object> signedUp = lines.get(0);
            assertThat(signedUp).containsEntry("level", "INFO").containsEntry("message", "user ada signed up")
                    .containsEntry("thread", Thread.currentThread().getName()).containsEntry("user_id", 123)
                    .containsEntry("plan", "pro").containsEntry("request_id", "req-42");
            assertThat((String) signedUp.get("timestamp")).endsWith("Z");
            Map<String, Object> failed = lines.get(1);
            assertThat(failed).containsEntry("level", "ERROR").containsEntry("message", "payment failed")
                    .containsEntry("request_id", "req-42");
            assertThat(JsonPath.<String>read(failed, "$.error.type")).isEqualTo("java.lang.IllegalStateException");
            assertThat(JsonPath.<String>read(failed, "$.error.message")).isEqualTo("card declined");
            assertThat(JsonPath.<String>read(failed, "$.error.stack")).contains("slf4jKeyValuesMdcAndThrowables");
            assertThat(LogbackCapture.appenders(logback())).hasSize(1);
        }
        assertThat(LogbackCapture.appenders(logback())).isEmpty();
    }

    @Test
    void aBackendThatLogsOnEveryWriteDoesNotMakeTheFileGrow() throws Exception {
        Path logs = tmp.resolve("logs");
        try (ConfigurableApplicationContext context = run(ChattyApp.class, logs, "--LOG_BACKENDS=file,chatty")) {
            ChattyBackend chatty = context.getBean(ChattyBackend.class);
            AsyncPersistencePipeline pipeline = context.getBean(AsyncPersistencePipeline.class);
            Logger log = LoggerFactory.getLogger("com.example.orders.OrderService");
            for (int i = 0; i < 50; i++) {
                log.atInfo().addKeyValue("order_id", i).log("order placed");
            }
            assertThat(pipeline.flush(FLUSH)).isTrue();

            List<Map<String, Object>> all = linesOf(logs, null);
            long enqueued = pipeline.enqueuedCount();
            assertThat(chatty.writes.get()).as("the backend really wrote and logged").isGreaterThanOrEqualTo(50);
            assertThat(linesOf(logs, "com.example.orders.OrderService")).hasSize(50);
            assertThat(all).as("nothing the backend logged was persisted")
                    .noneMatch(line -> String.valueOf(line.get("message")).startsWith("chatty"));
            assertThat(all).hasSize((int) enqueued);

            // A loop would keep feeding entries: nothing more arrives once the application is quiet.
            assertThat(pipeline.flush(FLUSH)).isTrue();
            assertThat(pipeline.flushBackend("chatty", FLUSH)).isTrue();
            assertThat(pipeline.enqueuedCount()).isEqualTo(enqueued);
            assertThat(linesOf(logs, null)).hasSize((int) enqueued);
            assertThat(appender().excludedCount()).as("the backend's log lines reached Logback and were skipped")
                    .isGreaterThanOrEqualTo(chatty.writes.get());
        }
    }

    @Test
    void anAppLoggerCallYieldsExactlyOneLineAndStillReachesTheConsole(CapturedOutput output) {
        Path logs = tmp.resolve("logs");
        try (ConfigurableApplicationContext context = run(App.class, logs)) {
            AppLoggerFactory.getAppLogger("com.example.billing.Invoices").info("invoice sent", "invoice_id", 7);
            AppLoggerFactory.getAppLogger("com.example.billing.Quiet", false, false).info("console only");
            assertThat(context.getBean(LogPersistenceHandler.class).flush(FLUSH)).isTrue();

            assertThat(linesOf(logs, "com.example.billing.Invoices")).singleElement()
                    .satisfies(line -> assertThat(line).containsEntry("message", "invoice sent")
                            .containsEntry("invoice_id", 7));
            assertThat(linesOf(logs, "com.example.billing.Quiet")).as("persist=false is not overridden by capture")
                    .isEmpty();
            assertThat(output.getOut()).contains("invoice sent invoice_id=7", "console only");
        }
    }

    @Test
    void aSecondRunInTheSameJvmStillCapturesWithOneAppender() {
        Path first = tmp.resolve("first");
        Path second = tmp.resolve("second");
        Logger log = LoggerFactory.getLogger("com.example.Runs");
        Appender<?> firstConsole;
        try (ConfigurableApplicationContext context = run(App.class, first)) {
            log.info("during the first run");
            assertThat(context.getBean(LogPersistenceHandler.class).flush(FLUSH)).isTrue();
            firstConsole = consoleAppender();
        }
        try (ConfigurableApplicationContext context = run(App.class, second)) {
            assertThat(consoleAppender()).as("Spring Boot re-initialised (reset) Logback").isNotSameAs(firstConsole);
            assertThat(LogbackCapture.appenders(logback())).hasSize(1);
            log.info("during the second run");
            // More refresh events (a child context publishes its own to the parent): still one appender.
            context.publishEvent(new ContextRefreshedEvent(context));
            context.publishEvent(new ContextRefreshedEvent(context));
            assertThat(LogbackCapture.appenders(logback())).hasSize(1);
            assertThat(context.getBean(LogPersistenceHandler.class).flush(FLUSH)).isTrue();
        }
        assertThat(messagesOf(first, "com.example.Runs")).containsExactly("during the first run");
        assertThat(messagesOf(second, "com.example.Runs")).containsExactly("during the second run");
        assertThat(LogbackCapture.appenders(logback())).isEmpty();
    }

    @Test
    void loggingReinitialisedWhileRunningIsPickedUpOnTheNextRefresh() {
        Path logs = tmp.resolve("logs");
        Logger log = LoggerFactory.getLogger("com.example.Reinit");
        try (ConfigurableApplicationContext context = run(App.class, logs)) {
            // What LoggingApplicationListener does on ApplicationEnvironmentPreparedEvent of another run.
            LoggingSystem loggingSystem = LoggingSystem.get(getClass().getClassLoader());
            loggingSystem.cleanUp();
            loggingSystem.beforeInitialize();
            loggingSystem.initialize(new LoggingInitializationContext(context.getEnvironment()), null, null);
            assertThat(LogbackCapture.appenders(logback())).as("Logback dropped the appender").isEmpty();

            context.publishEvent(new ContextRefreshedEvent(context));
            assertThat(LogbackCapture.appenders(logback())).hasSize(1);
            log.info("after re-initialisation");
            assertThat(context.getBean(LogPersistenceHandler.class).flush(FLUSH)).isTrue();
        }
        assertThat(messagesOf(logs, "com.example.Reinit")).containsExactly("after re-initialisation");
    }

    @Test
    void contextsAliveAtTheSameTimeShareOneAppenderThatWritesToTheNewest() {
        Path older = tmp.resolve("older");
        Path newer = tmp.resolve("newer");
        Logger log = LoggerFactory.getLogger("com.example.Both");
        try (ConfigurableApplicationContext first = run(App.class, older)) {
            try (ConfigurableApplicationContext second = run(App.class, newer)) {
                assertThat(LogbackCapture.appenders(logback())).hasSize(1);
                log.info("both alive");
                assertThat(second.getBean(LogPersistenceHandler.class).flush(FLUSH)).isTrue();
            }
            assertThat(LogbackCapture.appenders(logback())).as("the older context still captures").hasSize(1);
            log.info("older alone");
            assertThat(first.getBean(LogPersistenceHandler.class).flush(FLUSH)).isTrue();
        }
        assertThat(LogbackCapture.appenders(logback())).isEmpty();
        assertThat(messagesOf(newer, "com.example.Both")).containsExactly("both alive");
        assertThat(messagesOf(older, "com.example.Both")).containsExactly("older alone");
    }

    // ------------------------------------------------------------------ helpers

    private static ConfigurableApplicationContext run(Class<?> app, Path logs, String... args) {
        SpringApplication application = new SpringApplication(app);
        application.setWebApplicationType(WebApplicationType.NONE);
        List<String> all = new ArrayList<>(List.of("--log-persistence.file.directory=" + logs,
                "--LOG_BACKENDS=file", "--spring.main.banner-mode=off"));
        all.addAll(List.of(args));
        return application.run(all.toArray(new String[0]));
    }

    private static LoggerContext logback() {
        return (LoggerContext) LoggerFactory.getILoggerFactory();
    }

    private static PersistenceLogAppender appender() {
        return LogbackCapture.appenders(logback()).get(0);
    }

    private static Appender<?> consoleAppender() {
        return logback().getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("CONSOLE");
    }

    private static List<String> messagesOf(Path logs, String logger) {
        return linesOf(logs, logger).stream().map(line -> (String) line.get("message")).toList();
    }

    /** Every line of every weekly file in the directory, optionally only one logger's. */
    private static List<Map<String, Object>> linesOf(Path logs, String logger) {
        if (!Files.isDirectory(logs)) {
            return List.of();
        }
        List<Map<String, Object>> result = new ArrayList<>();
        try (Stream<Path> files = Files.list(logs)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    Map<String, Object> parsed = JsonPath.parse(line).json();
                    if (logger == null || logger.equals(parsed.get("logger"))) {
                        result.add(parsed);
                    }
                }
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return result;
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class ChattyApp {

        @Bean
        ChattyBackend chattyBackend() {
            return new ChattyBackend();
        }
    }

    /**
     * Logs an INFO line through SLF4J on every write, on its lane thread and, like an HTTP or Kafka client,
     * on a thread of its own under a client library's logger.
     */
    static final class ChattyBackend implements LogBackend {

        private static final Logger log = LoggerFactory.getLogger("com.example.ChattyBackend");
        private static final Logger client = LoggerFactory.getLogger("org.apache.kafka.clients.NetworkClient");

        final AtomicInteger writes = new AtomicInteger();
        private final ExecutorService io = Executors.newSingleThreadExecutor(r -> new Thread(r, "chatty-io"));

        @Override
        public String name() {
            return "chatty";
        }

        @Override
        public boolean write(LogEntry entry) {
            writes.incrementAndGet();
            log.info("chatty backend wrote {}", entry.message());
            try {
                io.submit(() -> client.info("chatty client sent {}", entry.message())).get(10, TimeUnit.SECONDS);
            }
            catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
            return true;
        }

        @Override
        public void close() {
            io.shutdownNow();
        }
    }
}
