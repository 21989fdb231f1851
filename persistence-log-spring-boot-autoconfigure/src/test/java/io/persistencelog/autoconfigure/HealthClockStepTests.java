package io.persistencelog.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.persistencelog.LogBackend;
import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import io.persistencelog.engine.AsyncPersistencePipeline;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * How long a backend has been failing is measured on a monotonic clock: neither the application's
 * {@code Clock} bean (pinned, or stepped by NTP or a VM snapshot restore) nor a wall-clock step may turn a
 * backend that just started failing DOWN at once, or keep one failing for longer than the threshold UP.
 */
class HealthClockStepTests {

    @TempDir
    Path dir;

    private ApplicationContextRunner runner(Clock clock, String threshold) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LogPersistenceAutoConfiguration.class,
                        LogPersistenceHealthAutoConfiguration.class))
                .withBean(Clock.class, () -> clock)
                .withBean("brokenBackend", LogBackend.class, () -> new LogBackend() {
                    public String name() {
                        return "broken";
                    }

                    public boolean write(LogEntry entry) {
                        return false;
                    }
                })
                .withPropertyValues("log-persistence.file.directory=" + dir, "log-persistence.backends=broken",
                        "log-persistence.resilience.retry-attempts=1",
                        "log-persistence.health.backend-failure-threshold=" + threshold);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> broken(Health health) {
        return (Map<String, Object>) ((Map<String, Object>) health.getDetails().get("backends")).get("broken");
    }

    @Test
    void anApplicationClockAYearAheadDoesNotTurnAFreshFailureDown() {
        runner(Clock.offset(Clock.systemUTC(), Duration.ofDays(365)), "1h").run(context -> {
            AsyncPersistencePipeline pipeline = context.getBean(AsyncPersistencePipeline.class);
            HealthIndicator health = context.getBean("logPersistenceHealthIndicator", HealthIndicator.class);
            pipeline.log(LogLevel.INFO, "t", "m", null);
            assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
            Health now = health.health(true);
            assertThat(broken(now)).containsKey("failingSince").containsEntry("status", "UP");
            assertThat(now.getStatus()).isEqualTo(Status.UP);
        });
    }

    @Test
    void anApplicationClockAYearBehindStillTurnsALastingFailureDown() {
        runner(Clock.offset(Clock.systemUTC(), Duration.ofDays(-365)), "200ms").run(context -> {
            AsyncPersistencePipeline pipeline = context.getBean(AsyncPersistencePipeline.class);
            HealthIndicator health = context.getBean("logPersistenceHealthIndicator", HealthIndicator.class);
            pipeline.log(LogLevel.INFO, "t", "m", null);
            assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> health.health(true).getStatus().equals(Status.DOWN));
            assertThat(broken(health.health(true))).containsEntry("status", "DOWN");
        });
    }
}
