package io.persistencelog.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.persistencelog.AppLoggerFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An application whose bean throws while the context is built: what it logged before (through an
 * {@code AppLogger} and through SLF4J) and the failure itself end up in the weekly file.
 */
@ExtendWith(OutputCaptureExtension.class)
class FailedStartupTraceTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @Test
    void aBeanThatThrowsLeavesItsLogsAndTheFailureInTheWeeklyFile() throws Exception {
        SpringApplication app = new SpringApplication(FailingApplication.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        assertThatThrownBy(() -> app.run("--log-persistence.file.directory=" + dir,
                "--spring.main.banner-mode=off", "--log-persistence.shutdown-timeout=30s"))
                .hasRootCauseInstanceOf(IllegalStateException.class);

        List<JsonNode> lines = lines();
        assertThat(lines).anySatisfy(line -> {
            assertThat(line.get("logger").asString()).isEqualTo("payments");
            assertThat(line.get("message").asString()).isEqualTo("Connecting to the payment provider");
            assertThat(line.get("attempt").asInt()).isEqualTo(1);
        });
        assertThat(lines).anySatisfy(line -> {
            assertThat(line.get("logger").asString()).isEqualTo("payments.slf4j");
            assertThat(line.get("level").asString()).isEqualTo("WARN");
            assertThat(line.get("message").asString()).isEqualTo("Provider certificate expires soon");
        });
        assertThat(lines).anySatisfy(line -> {
            assertThat(line.get("level").asString()).isEqualTo("ERROR");
            assertThat(line.get("message").asString()).isEqualTo("Application run failed");
            assertThat(line.get("logger").asString()).isEqualTo(SpringApplication.class.getName());
            assertThat(line.get("error").get("stack").asString()).contains("IllegalStateException")
                    .contains("Payment provider unreachable");
        });
    }

    @Test
    void whatBeansLogWhileTheContextIsBuiltIsDeliveredOnceThePipelineStarts() throws Exception {
        SpringApplication app = new SpringApplication(StartingApplication.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        try (ConfigurableApplicationContext context = app.run("--log-persistence.file.directory=" + dir,
                "--spring.main.banner-mode=off")) {
            assertThat(context.isRunning()).isTrue();
        }
        assertThat(lines()).anySatisfy(line -> {
            assertThat(line.get("logger").asString()).isEqualTo("payments");
            assertThat(line.get("message").asString()).isEqualTo("Connecting to the payment provider");
        });
    }

    @Test
    void settingsThatCannotBuildAPipelineNeverHideTheRealFailure(CapturedOutput output) {
        // A persistence setting the trace's own pipeline cannot be built from (here a bean fails first): the user
        // must still see the real failure, and learn that no trace was written and why.
        SpringApplication app = new SpringApplication(FailingApplication.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        assertThatThrownBy(() -> app.run("--log-persistence.file.directory=" + dir,
                "--spring.main.banner-mode=off", "--log-persistence.queue.capacity=lots"))
                .hasRootCauseMessage("Payment provider unreachable");
        assertThat(output.getErr()).contains("persistence-log: the trace of the failed start could not be written")
                .contains("log-persistence.queue");
    }

    @Test
    void anUnwritableDirectoryNeverHidesTheRealFailure(CapturedOutput output) throws Exception {
        // The directory is a regular file: the trace cannot be written, but the user must still see why the
        // application did not start, not an error of the trace.
        Path notADirectory = Files.writeString(dir.resolve("occupied"), "x");
        SpringApplication app = new SpringApplication(FailingApplication.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        assertThatThrownBy(() -> app.run("--log-persistence.file.directory=" + notADirectory,
                "--spring.main.banner-mode=off", "--log-persistence.shutdown-timeout=5s"))
                .hasRootCauseInstanceOf(IllegalStateException.class)
                .hasRootCauseMessage("Payment provider unreachable");
        // ...and that the trace it expects in the weekly file is missing, and where to look.
        assertThat(output.getErr()).contains("persistence-log: the trace of the failed start was not fully written")
                .contains("log-persistence.file.directory").contains(notADirectory.toString());
    }

    @Test
    void aFailureBeforeLoggingIsSetUpIsThrownAsItIs() {
        // No context exists yet when the environment cannot be prepared: the listener has nothing to report
        // into, and must not turn the failure into another one.
        SpringApplication app = new SpringApplication(FailingApplication.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        app.addListeners((ApplicationListener<ApplicationEnvironmentPreparedEvent>) event -> {
            throw new IllegalArgumentException("bad environment");
        });
        assertThatThrownBy(() -> app.run("--log-persistence.file.directory=" + dir, "--spring.main.banner-mode=off",
                "--log-persistence.shutdown-timeout=5s"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("bad environment");
    }

    private List<JsonNode> lines() throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    lines.add(JSON.readTree(line));
                }
            }
        }
        return lines;
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ LogPersistenceAutoConfiguration.class, CaptureAutoConfiguration.class })
    static class FailingApplication {

        @Bean
        Object paymentClient() {
            AppLoggerFactory.getAppLogger("payments").info("Connecting to the payment provider", "attempt", 1);
            LoggerFactory.getLogger("payments.slf4j").warn("Provider certificate expires soon");
            throw new IllegalStateException("Payment provider unreachable");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ LogPersistenceAutoConfiguration.class, CaptureAutoConfiguration.class })
    static class StartingApplication {

        @Bean
        Object paymentClient() {
            AppLoggerFactory.getAppLogger("payments").info("Connecting to the payment provider", "attempt", 1);
            return new Object();
        }
    }
}
