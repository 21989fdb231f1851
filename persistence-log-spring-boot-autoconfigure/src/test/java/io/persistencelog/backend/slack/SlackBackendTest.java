package io.persistencelog.backend.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.persistencelog.LogLevel;
import io.persistencelog.engine.AsyncPersistencePipeline;
import io.persistencelog.engine.LaneStats;
import io.persistencelog.engine.OverflowPolicy;
import io.persistencelog.engine.Pipelines;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SlackBackendTest {

    private static final Pattern SUMMARY = Pattern.compile("(\\d+) errors? in the last");

    private FakeSlack slack;
    private AsyncPersistencePipeline pipeline;

    @BeforeEach
    void startSlack() throws Exception {
        slack = new FakeSlack();
    }

    @AfterEach
    void stop() {
        if (pipeline != null) {
            pipeline.shutdown(Duration.ofSeconds(10));
        }
        slack.close();
    }

    private SlackProperties settings(Duration burstWindow, int maxRetries) {
        return new SlackProperties(slack.webhookUrl(), LogLevel.ERROR, burstWindow, Duration.ofSeconds(1), 5,
                Duration.ofSeconds(2), Duration.ofSeconds(5), maxRetries, Duration.ofSeconds(10),
                Duration.ofMinutes(5), ":rotating_light: *orders*");
    }

    private SlackBackend start(SlackProperties settings) {
        SlackBackend backend = new SlackBackend(settings);
        pipeline = Pipelines.started(Pipelines.settings(100_000, OverflowPolicy.BLOCK), backend);
        return backend;
    }

    private LaneStats lane() {
        return pipeline.laneStats("slack");
    }

    private static List<String> sectionTexts(String body) {
        return JsonPath.read(body, "$.blocks[?(@.type == 'section')].text.text");
    }

    @Test
    void onlyEntriesAtOrAboveErrorAreSentAndTheRestCountAsFilteredNotFailed() {
        SlackBackend backend = start(settings(Duration.ofMillis(300), 0));
        pipeline.log(LogLevel.DEBUG, "com.acme.Cart", "debug detail", null);
        pipeline.log(LogLevel.INFO, "com.acme.Cart", "cart opened", new Object[] { "user", 7 });
        pipeline.log(LogLevel.WARN, "com.acme.Cart", "cart slow", null);
        pipeline.log(LogLevel.ERROR, "com.acme.Payment", "payment <declined> & logged",
                new Object[] { "order", 42, new IllegalStateException("card expired") });

        assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();

        assertThat(slack.requests).hasSize(1);
        FakeSlack.Request request = slack.requests.get(0);
        assertThat(request.contentType()).startsWith("application/json");
        String body = request.body();
        assertThat(body).doesNotContain("debug detail", "cart opened", "cart slow");
        String text = JsonPath.read(body, "$.text");
        assertThat(text).startsWith(":rotating_light: *orders* 1 error in the last");
        List<String> sections = sectionTexts(body);
        assertThat(sections).hasSize(2);
        assertThat(sections.get(0)).contains("1 error in the last");
        assertThat(sections.get(1))
                .contains("*1×*", "`com.acme.Payment`", "payment &lt;declined&gt; &amp; logged")
                .contains("java.lang.IllegalStateException: card expired")
                .contains("at io.persistencelog.backend.slack.SlackBackendTest.onlyEntriesAtOrAboveError");

        Map<String, Object> metrics = backend.getMetrics();
        assertThat(metrics).containsEntry("sentMessages", 1L).containsEntry("alertedEntries", 1L)
                .containsEntry("filtered", 3L).containsEntry("rateLimited", 0L).containsEntry("lastStatus", 200)
                .containsEntry("webhookState", "ok");
        assertThat(lane().persisted()).isEqualTo(4);
        assertThat(lane().failed()).isZero();
    }

    @Test
    void aBurstOf200ErrorsInTwoSecondsBecomesAHandfulOfMessagesWithNothingLost() throws Exception {
        SlackBackend backend = start(SlackProperties.of(slack.webhookUrl()));
        long start = System.nanoTime();
        for (int i = 0; i < 200; i++) {
            Throwable error = new IllegalArgumentException("bad order " + (i % 3));
            pipeline.log(LogLevel.ERROR, "com.acme.Orders" + (i % 4), "order rejected #" + (i % 7),
                    new Object[] { "i", i, error });
            // 200 errors spread over about 2 s: the pace of a real error storm, not a stand-in for a flush
            TimeUnit.MILLISECONDS.sleep(10);
        }
        long burstNanos = System.nanoTime() - start;
        assertThat(pipeline.flush(Duration.ofSeconds(15))).isTrue();

        // No wall-clock bound on the burst (a loaded machine stretches it): the number of messages is bounded
        // by how long the burst really took, one message per min-interval at most, plus the last one.
        int atMost = 2 + (int) (burstNanos / SlackProperties.of("https://hooks.slack.com/services/T0/B0/defaults").minInterval().toNanos());
        assertThat(slack.requests).hasSizeBetween(1, atMost);
        int summarised = 0;
        for (FakeSlack.Request request : slack.requests) {
            String text = JsonPath.read(request.body(), "$.text");
            Matcher m = SUMMARY.matcher(text);
            assertThat(m.find()).as(text).isTrue();
            summarised += Integer.parseInt(m.group(1));
            List<Object> blocks = JsonPath.read(request.body(), "$.blocks");
            assertThat(blocks.size()).isLessThanOrEqualTo(7); // summary + top 5 + "and N more"
        }
        assertThat(summarised).isEqualTo(200);
        for (int i = 1; i < slack.requests.size(); i++) {
            long gap = slack.requests.get(i).arrivalNanos() - slack.requests.get(i - 1).arrivalNanos();
            assertThat(gap).as("requests are at least min-interval apart").isGreaterThanOrEqualTo(
                    TimeUnit.MILLISECONDS.toNanos(990));
        }
        assertThat(backend.getMetrics()).containsEntry("alertedEntries", 200L)
                .containsEntry("sentMessages", (long) slack.requests.size());
        assertThat(lane().persisted()).isEqualTo(200);
        assertThat(lane().failed()).isZero();
        // 28 distinct (logger, message) pairs: 5 listed, the rest mentioned
        String last = slack.requests.get(0).body();
        assertThat(last).contains("more distinct messages");
    }

    @Test
    void a429WithRetryAfterDelaysTheNextRequestAndLosesNothing() throws Exception {
        slack.answer(429, "rate_limited", "Retry-After", "1");
        SlackBackend backend = start(settings(Duration.ZERO, 3));
        pipeline.log(LogLevel.ERROR, "com.acme.Stock", "stock sync failed", null);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> slack.requests.size() == 1);
        // More errors while the backend waits out the Retry-After: they must arrive later, not vanish.
        for (int i = 0; i < 5; i++) {
            pipeline.log(LogLevel.ERROR, "com.acme.Stock", "stock sync failed again", null);
        }
        assertThat(pipeline.flush(Duration.ofSeconds(15))).isTrue();

        assertThat(slack.requests.size()).isBetween(2, 3);
        long gap = slack.requests.get(1).arrivalNanos() - slack.requests.get(0).arrivalNanos();
        assertThat(gap).isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(1));
        assertThat(slack.requests.get(1).body()).isEqualTo(slack.requests.get(0).body());
        assertThat(slack.requests.stream().skip(2).map(FakeSlack.Request::body).toList())
                .allSatisfy(body -> assertThat(body).contains("stock sync failed again"));
        assertThat(backend.getMetrics()).containsEntry("rateLimited", 1L).containsEntry("retries", 1L)
                .containsEntry("alertedEntries", 6L).containsEntry("lastStatus", 200);
        assertThat(lane().persisted()).isEqualTo(6);
        assertThat(lane().failed()).isZero();
    }

    @Test
    void serverErrorsAreRetriedWithBackoff() {
        slack.answer(503, "service unavailable");
        SlackBackend backend = start(settings(Duration.ZERO, 2));
        pipeline.log(LogLevel.ERROR, "com.acme.Mail", "smtp down", null);
        assertThat(pipeline.flush(Duration.ofSeconds(15))).isTrue();
        assertThat(slack.requests).hasSize(2);
        assertThat(backend.getMetrics()).containsEntry("retries", 1L).containsEntry("sentMessages", 1L);
        assertThat(lane().failed()).isZero();
    }

    @Test
    void anUnknownWebhookIsAClearErrorInTheMetricsAndIsNotHammered() {
        slack.answer(404, "no_service");
        SlackBackend backend = start(settings(Duration.ZERO, 5));
        pipeline.log(LogLevel.ERROR, "com.acme.Billing", "invoice failed", null);
        assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();

        assertThat(slack.requests).hasSize(1); // 404 is not retried
        assertThat(lane().failed()).isEqualTo(1);
        assertThat(lane().lastError()).contains("unknown Slack webhook", "HTTP 404", "no_service",
                "SLACK_WEBHOOK_URL", "log-persistence.slack.webhook-url");
        Map<String, Object> metrics = pipeline.registry().getAllMetrics().get("slack");
        assertThat(metrics).containsEntry("lastStatus", 404).containsEntry("failedWrites", 1L);
        assertThat((String) metrics.get("webhookState")).startsWith("paused: unknown Slack webhook");

        // While paused, further alerts fail at once without a request; INFO still succeeds (filtered).
        pipeline.log(LogLevel.ERROR, "com.acme.Billing", "invoice failed again", null);
        pipeline.log(LogLevel.INFO, "com.acme.Billing", "just info", null);
        assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(slack.requests).hasSize(1);
        assertThat(lane().failed()).isEqualTo(2);
        assertThat(lane().persisted()).isEqualTo(1);
        assertThat(lane().lastError()).startsWith("not sent: unknown Slack webhook");
        assertThat(backend.getMetrics()).containsEntry("failedMessages", 2L).containsEntry("sentMessages", 0L);
        assertNoSecret(metrics.toString() + pipeline.getMetrics() + backend + lane().lastError());
    }

    @Test
    void anInvalidPayloadIsReportedAndNotRetriedAndTheNextMessageStillGoes() {
        slack.answer(400, "invalid_payload");
        SlackBackend backend = start(settings(Duration.ZERO, 5));
        pipeline.log(LogLevel.ERROR, "com.acme.A", "first", null);
        assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(lane().lastError()).contains("invalid", "HTTP 400", "invalid_payload", "not retried");
        pipeline.log(LogLevel.ERROR, "com.acme.A", "second", null);
        assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(slack.requests).hasSize(2);
        assertThat(lane().failed()).isEqualTo(1);
        assertThat(lane().persisted()).isEqualTo(1);
        assertThat(backend.getMetrics()).containsEntry("lastStatus", 200).containsEntry("webhookState", "ok");
    }

    @Test
    void revokedAndForbiddenWebhooksAreNamedAsSuch() {
        slack.answer(410, "channel_is_archived");
        start(settings(Duration.ZERO, 5));
        pipeline.log(LogLevel.ERROR, "x", "y", null);
        assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(lane().lastError()).contains("Slack webhook is gone", "HTTP 410", "channel_is_archived");
        assertThat(slack.requests).hasSize(1);
    }

    @Test
    void theWebhookUrlNeverAppearsInMetricsToStringOrErrors() throws Exception {
        // Nothing listens on the port any more: every attempt fails at the transport level.
        String url = slack.webhookUrl();
        slack.close();
        SlackProperties settings = new SlackProperties(url, LogLevel.ERROR, Duration.ZERO, Duration.ofMillis(10), 5,
                Duration.ofMillis(500), Duration.ofMillis(500), 1, Duration.ofMillis(10), Duration.ofMinutes(1), "");
        SlackBackend backend = start(settings);
        pipeline.log(LogLevel.ERROR, "x", "unreachable", null);
        assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();

        assertThat(lane().failed()).isEqualTo(1);
        assertThat(lane().lastError()).contains("could not reach the Slack webhook", "gave up after 2 attempts");
        assertNoSecret(lane().lastError());
        assertNoSecret(String.valueOf(pipeline.getMetrics()));
        assertNoSecret(String.valueOf(pipeline.registry().getAllMetrics()));
        assertNoSecret(backend.toString());
        assertNoSecret(settings.toString());
        assertThat(backend.getMetrics()).containsEntry("webhook", "******");
    }

    private static void assertNoSecret(String text) {
        assertThat(text).doesNotContain("SeCrEtT0kenXyZ123").doesNotContain(FakeSlack.SECRET_PATH);
    }
}
