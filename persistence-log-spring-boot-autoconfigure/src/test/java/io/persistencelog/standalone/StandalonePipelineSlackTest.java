package io.persistencelog.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.persistencelog.LogLevel;
import io.persistencelog.engine.AsyncPersistencePipeline;
import io.persistencelog.backend.slack.FakeSlack;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The plain-{@code main} pipeline builds the slack backend from system properties / environment variables. */
class StandalonePipelineSlackTest {

    private final Map<String, String> saved = new HashMap<>();

    private void set(String key, String value) {
        saved.putIfAbsent(key, System.getProperty(key));
        System.setProperty(key, value);
    }

    @AfterEach
    void restore() {
        saved.forEach((key, value) -> {
            if (value == null) {
                System.clearProperty(key);
            }
            else {
                System.setProperty(key, value);
            }
        });
    }

    @Test
    void slackIsBuiltFromSlackWebhookUrlWhenSelected() throws Exception {
        try (FakeSlack slack = new FakeSlack()) {
            set("LOG_BACKENDS", "slack");
            set("SLACK_WEBHOOK_URL", slack.webhookUrl());
            set("log-persistence.slack.burst-window", "0ms");
            AsyncPersistencePipeline pipeline = StandalonePipeline.fromEnvironment();
            try {
                pipeline.log(LogLevel.ERROR, "main", "standalone failure", null);
                assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
                assertThat(slack.requests).hasSize(1);
                assertThat(slack.requests.get(0).body()).contains("standalone failure");
            }
            finally {
                pipeline.shutdown(Duration.ofSeconds(5));
            }
        }
    }

    @Test
    void selectedWithoutWebhookFailsNamingTheVariable() {
        set("LOG_BACKENDS", "slack");
        if (System.getenv("SLACK_WEBHOOK_URL") == null) {
            assertThatIllegalStateException().isThrownBy(StandalonePipeline::fromEnvironment)
                    .withMessageContaining("SLACK_WEBHOOK_URL");
        }
    }
}
