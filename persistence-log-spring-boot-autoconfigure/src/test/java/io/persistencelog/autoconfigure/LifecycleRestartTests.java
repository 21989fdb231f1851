package io.persistencelog.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.persistencelog.AppLogger;
import io.persistencelog.AppLoggerFactory;
import io.persistencelog.LogEntry;
import io.persistencelog.engine.AsyncPersistencePipeline;
import io.persistencelog.engine.CollectingBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Issue #12 point 5: {@code context.stop()} then {@code context.start()} (as CRaC does) resumes persistence. */
class LifecycleRestartTests {

    @TempDir
    Path dir;

    @Configuration(proxyBeanMethods = false)
    static class Backends {
        @Bean
        CollectingBackend restartBackend() {
            return new CollectingBackend("restart");
        }
    }

    @Test
    void stopThenStartResumesPersistenceAndTheEndpointTellsTheTruthMeanwhile() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LogPersistenceAutoConfiguration.class,
                        LogPersistenceEndpointAutoConfiguration.class, LogPersistenceHealthAutoConfiguration.class))
                .withUserConfiguration(Backends.class)
                .withPropertyValues("log-persistence.backends=restart", "log-persistence.file.directory=" + dir,
                        "management.endpoints.web.exposure.include=logpersistence")
                .run(context -> {
                    AsyncPersistencePipeline pipeline = context.getBean(AsyncPersistencePipeline.class);
                    CollectingBackend backend = context.getBean(CollectingBackend.class);
                    LogPersistenceEndpoint endpoint = context.getBean(LogPersistenceEndpoint.class);
                    LogPersistenceHealthIndicator health = context.getBean(LogPersistenceHealthIndicator.class);
                    AppLogger log = AppLoggerFactory.getAppLogger("restart-test");
                    for (int i = 0; i < 100; i++) {
                        log.info("before", "i", i);
                    }
                    assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
                    assertThat(backend.entries).hasSize(100);

                    context.stop();
                    assertThat(persistence(endpoint)).containsEntry("running", false);
                    assertThat(health.health(false).getStatus()).isEqualTo(Status.DOWN);
                    long without = (Long) persistence(endpoint).get("callsWithoutPipeline");
                    log.info("while stopped");
                    assertThat(persistence(endpoint)).containsEntry("callsWithoutPipeline", without + 1);

                    context.start();
                    for (int i = 0; i < 100; i++) {
                        log.info("after", "i", i);
                    }
                    assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
                    assertThat(backend.entries.stream().map(LogEntry::message).filter("after"::equals)).hasSize(100);
                    assertThat(persistence(endpoint)).containsEntry("running", true)
                            .containsEntry("persisted", 200L).containsEntry("lostOnShutdown", 0L);
                    assertThat(health.health(false).getStatus()).isEqualTo(Status.UP);
                });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> persistence(LogPersistenceEndpoint endpoint) {
        return (Map<String, Object>) endpoint.report().get("persistence");
    }
}
