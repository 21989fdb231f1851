package io.persistencelog.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.persistencelog.BackendRegistry;
import io.persistencelog.LogBackend;
import io.persistencelog.LogEntry;
import io.persistencelog.LogPersistenceHandler;
import io.persistencelog.backend.file.FileBackend;
import io.persistencelog.engine.AsyncPersistencePipeline;
import io.persistencelog.engine.CollectingBackend;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class LogPersistenceAutoConfigurationTests {

    @TempDir
    Path dir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LogPersistenceAutoConfiguration.class))
                .withPropertyValues("log-persistence.file.directory=" + dir);
    }

    private static java.util.List<String> active(org.springframework.context.ApplicationContext context) {
        return context.getBean(BackendRegistry.class).getActiveBackends().stream().map(LogBackend::name).toList();
    }

    @Test
    void defaultsToTheFileBackend() {
        runner().run(context -> {
            assertThat(context).hasSingleBean(LogPersistenceHandler.class).hasSingleBean(BackendRegistry.class);
            assertThat(active(context)).containsExactly("file");
            assertThat(context.getBean(BackendRegistry.class).getActiveBackends().get(0)).isInstanceOf(FileBackend.class);
        });
    }

    @Test
    void propertySelectsBackendsWhenLogBackendsIsNotSet() {
        runner().withPropertyValues("log-persistence.backends= Console , FILE,console").run(context ->
                assertThat(active(context)).containsExactly("console", "file"));
    }

    @Test
    void logBackendsVariableWinsOverTheProperty() {
        runner().withPropertyValues("log-persistence.backends=file", "LOG_BACKENDS=console").run(context ->
                assertThat(active(context)).containsExactly("console"));
    }

    @Test
    void blankLogBackendsCountsAsNotSet() {
        runner().withPropertyValues("log-persistence.backends=console", "LOG_BACKENDS=  ").run(context ->
                assertThat(active(context)).containsExactly("console"));
    }

    @Test
    void unknownNamesAreSkippedAndListed() {
        runner().withPropertyValues("LOG_BACKENDS=file,invalid,console").run(context -> {
            assertThat(active(context)).containsExactly("file", "console");
            assertThat(context.getBean(BackendRegistry.class).getUnknownBackends()).containsExactly("invalid");
        });
    }

    @Test
    void logBackendBeansAreRegisteredByNameAndActiveWhenSelected() {
        runner().withUserConfiguration(AuditBackendConfig.class).withPropertyValues("LOG_BACKENDS=file,audit")
                .run(context -> {
                    assertThat(active(context)).containsExactly("file", "audit");
                    AsyncPersistencePipeline pipeline = context.getBean(AsyncPersistencePipeline.class);
                    pipeline.log(io.persistencelog.LogLevel.INFO, "t", "hello", null);
                    assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
                    assertThat(context.getBean(CollectingBackend.class).entries).extracting(LogEntry::message)
                            .containsExactly("hello");
                });
    }

    @Test
    void aBeanNamedLikeABuiltInReplacesIt() {
        runner().withUserConfiguration(FileReplacementConfig.class).run(context -> {
            assertThat(active(context)).containsExactly("file");
            assertThat(context.getBean(BackendRegistry.class).getActiveBackends().get(0))
                    .isSameAs(context.getBean("myFile"));
        });
    }

    @Test
    void aBeanThatIsNotSelectedIsKnownButInactive() {
        runner().withUserConfiguration(AuditBackendConfig.class).run(context -> {
            assertThat(active(context)).containsExactly("file");
            assertThat(context.getBean(BackendRegistry.class).knownNames()).contains("audit", "file", "console");
        });
    }

    @Test
    void twoBackendsWithOneNameFailStartupNamingBoth() {
        runner().withUserConfiguration(DuplicateBackendsConfig.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(DuplicateLogBackendException.class)
                    .hasMessageContaining("'audit'").hasMessageContaining("auditOne").hasMessageContaining("auditTwo");
        });
    }

    @Test
    void disabledMeansNoBeansAtAll() {
        runner().withPropertyValues("log-persistence.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(LogPersistenceHandler.class).doesNotHaveBean(BackendRegistry.class);
        });
    }

    @Test
    void negativeCapacityFailsNamingTheProperty() {
        runner().withPropertyValues("log-persistence.queue.capacity=-1").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("log-persistence.queue.capacity");
        });
    }

    @Test
    void unknownOverflowPolicyFailsNamingTheProperty() {
        runner().withPropertyValues("log-persistence.queue.when-full=sometimes").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("Failed to bind properties under 'log-persistence.queue.when-full'");
        });
    }

    @Test
    void blockPolicyAndOtherSettingsBind() {
        runner().withPropertyValues("log-persistence.queue.when-full=block", "log-persistence.queue.capacity=128",
                "log-persistence.batch.size=10").run(context -> {
                    AsyncPersistencePipeline pipeline = context.getBean(AsyncPersistencePipeline.class);
                    assertThat(pipeline.getMetrics()).containsEntry("queueCapacity", 128)
                            .containsEntry("overflowPolicy", "block");
                    assertThat(pipeline.settings().batchSize()).isEqualTo(10);
                });
    }

    @Test
    void userHandlerBeanBacksOff() {
        runner().withUserConfiguration(AuditBackendConfig.class).run(context ->
                assertThat(context).hasSingleBean(LogPersistenceLifecycle.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class AuditBackendConfig {
        @Bean
        CollectingBackend auditBackend() {
            return new CollectingBackend("audit");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class FileReplacementConfig {
        @Bean
        CollectingBackend myFile() {
            return new CollectingBackend("file");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class DuplicateBackendsConfig {
        @Bean
        CollectingBackend auditOne() {
            return new CollectingBackend("audit");
        }

        @Bean
        CollectingBackend auditTwo() {
            return new CollectingBackend("Audit");
        }
    }
}
