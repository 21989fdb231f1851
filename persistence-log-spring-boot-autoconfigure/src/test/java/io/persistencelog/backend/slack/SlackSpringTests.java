package io.persistencelog.backend.slack;

import io.persistencelog.autoconfigure.LogPersistenceAutoConfiguration;
import io.persistencelog.testing.TestSettings;

import static org.assertj.core.api.Assertions.assertThat;

import io.persistencelog.BackendRegistry;
import io.persistencelog.LogLevel;
import io.persistencelog.backend.slack.FakeSlack;
import io.persistencelog.engine.AsyncPersistencePipeline;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class SlackSpringTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LogPersistenceAutoConfiguration.class));

    private FakeSlack slack;

    @BeforeEach
    void startSlack() throws Exception {
        slack = new FakeSlack();
    }

    @AfterEach
    void stopSlack() {
        slack.close();
    }

    @Test
    void selectedWithoutWebhookFailsStartupNamingTheVariableAndTheProperty() {
        runner.withPropertyValues("log-persistence.backends=slack").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("SLACK_WEBHOOK_URL")
                    .hasMessageContaining("log-persistence.slack.webhook-url");
        });
    }

    @Test
    void notSelectedWithoutWebhookStartsFine() {
        runner.withPropertyValues("log-persistence.backends=console").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(BackendRegistry.class).knownNames()).contains("slack");
        });
    }

    @Test
    void webhookFromSlackWebhookUrlThroughTheEnvironmentPostsErrorsAndStaysSecret() {
        runner.withPropertyValues("LOG_BACKENDS=slack", "SLACK_WEBHOOK_URL=" + slack.webhookUrl(),
                "log-persistence.slack.burst-window=0ms", "log-persistence.slack.text-prefix=[shop]")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    AsyncPersistencePipeline pipeline = context.getBean(AsyncPersistencePipeline.class);
                    pipeline.log(LogLevel.INFO, "com.acme.Shop", "fine", null);
                    pipeline.log(LogLevel.ERROR, "com.acme.Shop", "checkout broke", null);
                    assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
                    assertThat(slack.requests).hasSize(1);
                    assertThat(slack.requests.get(0).body()).contains("[shop] *1 error in the last")
                            .contains("checkout broke").doesNotContain("fine");
                    BackendRegistry registry = context.getBean(BackendRegistry.class);
                    assertThat(registry.getAllMetrics().get("slack")).containsEntry("alertedEntries", 1L)
                            .containsEntry("filtered", 1L);
                    String everything = registry.getAllMetrics() + " " + TestSettings.bound(context,
                            SlackProperties.PREFIX, SlackProperties.class) + " " + registry.getActiveBackends();
                    assertThat(everything).doesNotContain("SeCrEtT0kenXyZ123");
                });
    }

    @Test
    void thePropertyWinsOverTheVariable() {
        runner.withPropertyValues("log-persistence.backends=slack", "SLACK_WEBHOOK_URL=http://127.0.0.1:1/nowhere",
                "log-persistence.slack.webhook-url=" + slack.webhookUrl(), "log-persistence.slack.min-level=warn",
                "log-persistence.slack.burst-window=0ms")
                .run(context -> {
                    AsyncPersistencePipeline pipeline = context.getBean(AsyncPersistencePipeline.class);
                    pipeline.log(LogLevel.WARN, "a", "a warning", null);
                    assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
                    assertThat(slack.requests).hasSize(1);
                    assertThat(slack.requests.get(0).body()).contains("1 warning in the last");
                    assertThat(TestSettings.bound(context, SlackProperties.PREFIX, SlackProperties.class).toString())
                            .contains("webhookUrl=******")
                            .doesNotContain("SeCrEtT0kenXyZ123");
                });
    }
}
