package io.persistencelog.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.persistencelog.AppLoggerFactory;
import io.persistencelog.BackendFactory;
import io.persistencelog.BackendProviderSupport;
import io.persistencelog.BackendRegistry;
import io.persistencelog.LogBackend;
import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import io.persistencelog.LogPersistenceHandler;
import io.persistencelog.engine.AsyncPersistencePipeline;
import io.persistencelog.engine.CollectingBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The auto-configuration works through the public types: an application's own bean of each of them
 * ({@link BackendRegistry}, {@link LogPersistenceHandler}, {@code LogBackendProvider}) is honoured, and the
 * endpoint, health and meters keep working with it.
 */
class UserBeansTests {

    @TempDir
    Path logs;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LogPersistenceAutoConfiguration.class,
                        LogPersistenceEndpointAutoConfiguration.class, LogPersistenceHealthAutoConfiguration.class,
                        LogPersistenceMetricsAutoConfiguration.class))
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("log-persistence.file.directory=" + logs,
                        "management.endpoints.web.exposure.include=logpersistence");
    }

    @Test
    void anApplicationsOwnRegistryDecidesTheBackendsAndEverythingElseStillWorks() {
        CollectingBackend mine = new CollectingBackend("mine");
        runner().withBean(BackendRegistry.class, () -> new FixedRegistry(mine)).run(context -> {
            assertThat(context).hasNotFailed();
            MeterRegistry meters = new SimpleMeterRegistry();
            context.getBean(LogPersistenceMeterBinder.class).bindTo(meters);
            AsyncPersistencePipeline pipeline = context.getBean(AsyncPersistencePipeline.class);
            pipeline.log(LogLevel.INFO, "app", "to my backend", null);
            assertThat(pipeline.flush(Duration.ofSeconds(5))).isTrue();
            assertThat(mine.entries).extracting(LogEntry::message).containsExactly("to my backend");
            Map<String, Object> report = context.getBean(LogPersistenceEndpoint.class).report();
            assertThat(report.get("activeBackends")).isEqualTo(List.of("mine"));
            assertThat(context.getBean("logPersistenceHealthIndicator", HealthIndicator.class).health().getStatus())
                    .isEqualTo(Status.UP);
            assertThat(meters.find("logpersistence.backend.writes").tag("backend", "mine").functionCounter()
                    .count()).isEqualTo(1.0);
        });
    }

    @Test
    void anApplicationsOwnHandlerReceivesTheLogsAndKeepsHealthMetersAndTheEndpoint() {
        RecordingHandler handler = new RecordingHandler();
        runner().withBean(LogPersistenceHandler.class, () -> handler).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(AsyncPersistencePipeline.class);
            MeterRegistry meters = new SimpleMeterRegistry();
            context.getBean(LogPersistenceMeterBinder.class).bindTo(meters);
            AppLoggerFactory.getAppLogger("orders").info("order placed", "order_id", 7, "password", "hunter2");
            assertThat(handler.entries).extracting(LogEntry::message).containsExactly("order placed");
            assertThat(handler.entries.get(0).fields()).containsEntry("order_id", 7)
                    .doesNotContainValue("hunter2");
            assertThat(context.getBean("logPersistenceHealthIndicator", HealthIndicator.class).health().getStatus())
                    .isEqualTo(Status.UP);
            assertThat(meters.find("logpersistence.entries.enqueued").functionCounter().count()).isEqualTo(1.0);
            assertThat(context.getBean(LogPersistenceEndpoint.class).report().get("persistence"))
                    .isEqualTo(handler.getMetrics());
        });
        assertThat(handler.shutdowns).as("the context's end shuts the handler down (idempotent)").isPositive();
    }

    @Test
    void aProviderBeanAddsABackendWithItsOwnBoundSettings() {
        CollectingBackend audit = new CollectingBackend("audit");
        List<AuditProperties> seen = new CopyOnWriteArrayList<>();
        runner().withBean(AuditProvider.class, () -> new AuditProvider(seen, () -> audit))
                .withPropertyValues("LOG_BACKENDS=audit", "log-persistence.audit.label=billing")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    AsyncPersistencePipeline pipeline = context.getBean(AsyncPersistencePipeline.class);
                    pipeline.log(LogLevel.WARN, "app", "audited", null);
                    assertThat(pipeline.flush(Duration.ofSeconds(5))).isTrue();
                    assertThat(audit.entries).extracting(LogEntry::message).containsExactly("audited");
                    assertThat(seen).containsExactly(new AuditProperties("billing", 3));
                });
    }

    @Test
    void aProviderBeanReplacesTheServiceLoadedProviderOfTheSameName() {
        CollectingBackend console = new CollectingBackend("console");
        runner().withBean(ConsoleReplacement.class, () -> new ConsoleReplacement(console))
                .withPropertyValues("LOG_BACKENDS=console")
                .run(context -> {
                    AsyncPersistencePipeline pipeline = context.getBean(AsyncPersistencePipeline.class);
                    pipeline.log(LogLevel.INFO, "app", "not on stdout", null);
                    assertThat(pipeline.flush(Duration.ofSeconds(5))).isTrue();
                    assertThat(console.entries).extracting(LogEntry::message).containsExactly("not on stdout");
                });
    }

    @Test
    void twoProviderBeansOfOneNameStopTheApplicationNamingBoth() {
        runner().withBean("auditProvider", AuditProvider.class, () -> new AuditProvider(List.of(), () -> null))
                .withBean("otherAuditProvider", OtherAuditProvider.class, OtherAuditProvider::new)
                .withPropertyValues("LOG_BACKENDS=file")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("Two log backend providers are named 'audit'")
                        .hasStackTraceContaining(AuditProvider.class.getName())
                        .hasStackTraceContaining(OtherAuditProvider.class.getName()));
    }

    @Test
    void twoBackendFactoryBeansOfOneNameStopTheApplicationNamingBoth() {
        runner().withBean("auditFactory", BackendFactory.class,
                        () -> BackendFactory.of("audit", () -> new CollectingBackend("audit")))
                .withBean("otherAuditFactory", BackendFactory.class,
                        () -> BackendFactory.of("Audit", () -> new CollectingBackend("audit")))
                .withPropertyValues("LOG_BACKENDS=audit")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("'audit'").hasStackTraceContaining("'auditFactory'")
                        .hasStackTraceContaining("'otherAuditFactory'"));
    }

    @Test
    void aBackendFactoryBeanAndALogBackendBeanOfOneNameStopTheApplicationNamingBoth() {
        runner().withBean("auditFactory", BackendFactory.class,
                        () -> BackendFactory.of("audit", () -> new CollectingBackend("audit")))
                .withBean("auditBackend", LogBackend.class, () -> new CollectingBackend("audit"))
                .withPropertyValues("LOG_BACKENDS=audit")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("'audit'").hasStackTraceContaining("'auditFactory'")
                        .hasStackTraceContaining("'auditBackend'"));
    }

    static final class OtherAuditProvider extends BackendProviderSupport<AuditProperties> {
        OtherAuditProvider() {
            super("audit", AuditProperties.class, (settings, context) -> new CollectingBackend("audit"));
        }
    }

    /** Settings of the test backend, bound from {@code log-persistence.audit.*}. */
    record AuditProperties(String label, @DefaultValue("3") int copies) {
    }

    static final class AuditProvider extends BackendProviderSupport<AuditProperties> {
        AuditProvider(List<AuditProperties> seen, Supplier<LogBackend> backend) {
            super("audit", AuditProperties.class, (settings, context) -> {
                seen.add(settings);
                return backend.get();
            });
        }
    }

    static final class ConsoleReplacement extends BackendProviderSupport<Object> {
        ConsoleReplacement(LogBackend backend) {
            super("console", Object.class, (settings, context) -> backend);
        }
    }

    /** An application's registry: one fixed backend, always active. */
    static final class FixedRegistry implements BackendRegistry {

        private final LogBackend backend;

        FixedRegistry(LogBackend backend) {
            this.backend = backend;
        }

        @Override
        public void register(String name, Supplier<? extends LogBackend> factory) {
        }

        @Override
        public void register(LogBackend other) {
        }

        @Override
        public Set<String> selectedNames() {
            return Set.of(backend.name());
        }

        @Override
        public Set<String> knownNames() {
            return Set.of(backend.name());
        }

        @Override
        public List<LogBackend> getActiveBackends() {
            return List.of(backend);
        }

        @Override
        public Set<String> getUnknownBackends() {
            return Set.of();
        }

        @Override
        public Map<String, Map<String, Object>> getAllMetrics() {
            return Map.of(backend.name(), backend.getMetrics());
        }
    }

    /** An application's handler: keeps what it is given, synchronously. */
    static final class RecordingHandler implements LogPersistenceHandler {

        final List<LogEntry> entries = new CopyOnWriteArrayList<>();
        volatile int shutdowns;

        @Override
        public boolean submit(LogEntry entry) {
            entries.add(entry);
            return true;
        }

        @Override
        public Map<String, Object> getMetrics() {
            return Map.of("queueSize", 0, "queueCapacity", 10, "enqueued", entries.size());
        }

        @Override
        public boolean flush(Duration timeout) {
            return true;
        }

        @Override
        public void shutdown(Duration timeout) {
            shutdowns++;
        }

        @Override
        public boolean isRunning() {
            return true;
        }
    }
}
