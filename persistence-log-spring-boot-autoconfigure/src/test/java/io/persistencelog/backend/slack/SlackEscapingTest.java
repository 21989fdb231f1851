package io.persistencelog.backend.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.persistencelog.LogLevel;
import io.persistencelog.engine.AsyncPersistencePipeline;
import io.persistencelog.engine.OverflowPolicy;
import io.persistencelog.engine.Pipelines;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue #12 point 12: log text never becomes a live mention or link in a Slack notification. */
class SlackEscapingTest {

    @Test
    void notificationTextEscapesAmpersandAndAngleBracketsButKeepsTheConfiguredPrefix() throws Exception {
        try (FakeSlack slack = new FakeSlack()) {
            SlackProperties settings = new SlackProperties(slack.webhookUrl(), LogLevel.ERROR, Duration.ofMillis(200),
                    Duration.ofSeconds(1), 5, Duration.ofSeconds(2), Duration.ofSeconds(5), 0, Duration.ofSeconds(10),
                    Duration.ofMinutes(5), "<!here> orders");
            AsyncPersistencePipeline pipeline = Pipelines.started(Pipelines.settings(1000, OverflowPolicy.BLOCK),
                    new SlackBackend(settings));
            try {
                pipeline.log(LogLevel.ERROR, "com.acme.<!everyone>", "<!channel> deploy & <@U0123|bob> "
                        + "<https://evil.example|click>", null);
                assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
            }
            finally {
                pipeline.shutdown(Duration.ofSeconds(10));
            }
            assertThat(slack.requests).hasSize(1);
            String body = slack.requests.get(0).body();
            String text = JsonPath.read(body, "$.text");
            // The operator's own prefix may mention on purpose; logged text never does.
            assertThat(text).startsWith("<!here> orders ")
                    .contains("&lt;!channel&gt; deploy &amp; &lt;@U0123|bob&gt; &lt;https://evil.example|click&gt;");
            assertThat(text.substring("<!here>".length())).doesNotContain("<").doesNotContain(">");
            List<String> sections = JsonPath.read(body, "$.blocks[*].text.text");
            assertThat(sections).allSatisfy(s -> assertThat(s.replace("<!here>", "")).doesNotContain("<!")
                    .doesNotContain("<@").doesNotContain("<http"));
        }
    }
}
