package io.persistencelog.backend.slack;

import io.persistencelog.BatchResult;
import io.persistencelog.LogEntry;
import io.persistencelog.codec.Secrets;
import io.persistencelog.http.HttpBackend;
import io.persistencelog.http.HttpDelivery;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts alerts to a Slack incoming webhook.
 *
 * <p>Only entries at or above {@link SlackProperties#minLevel()} are sent; the others are counted as
 * {@code filtered} and succeed for the pipeline. The lane gathers entries for
 * {@link SlackProperties#burstWindow()} after the first one, and each batch becomes <em>one</em> message
 * ("17 errors in the last 10 s" with the most frequent distinct messages), sent no sooner than
 * {@link SlackProperties#minInterval()} after the previous request: Slack accepts about one message per
 * second per webhook. While the backend waits, new entries pile up in its lane and go out together in the
 * next message, so an error storm costs one request per interval, never one per error.
 *
 * <p>A 429 is retried after Slack's {@code Retry-After}; 5xx, 408 and network errors are retried with
 * backoff, both up to {@link SlackProperties#maxRetries()} times. A 400 (invalid payload) fails the message
 * without retry; 403, 404 and 410 (revoked or unknown webhook) fail it and pause sending for
 * {@link SlackProperties#rejectedPause()}, so a dead webhook is not hammered. The reason is reported in the
 * lane's {@code lastError} and in {@code webhookState}.
 *
 * <p>The webhook URL is a secret: it is registered with {@link Secrets} and never appears in metrics,
 * exceptions, log lines or {@link #toString()}.
 */
public final class SlackBackend extends HttpBackend {

    /** The backend's name in {@code LOG_BACKENDS}. */
    public static final String NAME = "slack";
    /** Entries per batch: large, because a batch becomes one summary message whatever its size. */
    static final int MAX_BATCH_ENTRIES = 10_000;
    private static final Logger log = LoggerFactory.getLogger(SlackBackend.class);
    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final int BODY_SNIPPET_LENGTH = 120;
    /** Revoked, unknown or archived webhook: every later message would be refused too. */
    private static final Set<Integer> WEBHOOK_DEAD_STATUSES = Set.of(403, 404, 410);

    private final SlackProperties settings;
    private final URI webhook;
    private final HttpClient client;
    private final HttpDelivery delivery;

    private final AtomicLong sentMessages = new AtomicLong();
    private final AtomicLong failedMessages = new AtomicLong();
    private final AtomicLong filtered = new AtomicLong();
    private final AtomicLong alertedEntries = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile int lastStatus;
    private volatile String webhookState = "not used yet";
    private volatile long pausedUntilMillis;
    private volatile @Nullable String pauseReason;

    /** Whether the last failure was Slack refusing the message itself (400): not worth spooling. */
    private boolean lastFailurePermanent;

    public SlackBackend(SlackProperties settings) {
        this(settings, HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build());
    }

    SlackBackend(SlackProperties settings, HttpClient client) {
        super(MAX_BATCH_ENTRIES, settings.burstWindow());
        this.settings = settings;
        this.webhook = settings.webhookUri();
        this.client = client;
        this.delivery = HttpDelivery.builder(client)
                .deadline(settings.requestTimeout().plusSeconds(1))
                .maxRetries(settings.maxRetries())
                .backoff(FIRST_BACKOFF)
                .jitter(() -> 1.0) // one webhook, one sender: nobody to spread out from
                .maxWait(settings.maxRetryWait())
                .rateLimitWait(DEFAULT_RETRY_AFTER)
                .minInterval(settings.minInterval()) // Slack accepts about one message per second per webhook
                .authStatuses(WEBHOOK_DEAD_STATUSES)
                .snippetChars(BODY_SNIPPET_LENGTH)
                .build();
        Secrets.register(settings.webhookUrl());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public BatchResult writeBatch(List<LogEntry> entries) {
        int size = entries.size();
        List<LogEntry> alerts = new ArrayList<>();
        List<Integer> alertIndexes = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            LogEntry entry = entries.get(i);
            if (entry.level().compareTo(settings.minLevel()) >= 0) {
                alerts.add(entry);
                alertIndexes.add(i);
            }
        }
        filtered.addAndGet(size - alerts.size());
        if (alerts.isEmpty()) {
            return BatchResult.persisted(size);
        }
        lastFailurePermanent = false;
        String failure = send(alerts);
        if (failure == null) {
            sentMessages.incrementAndGet();
            alertedEntries.addAndGet(alerts.size());
            return BatchResult.persisted(size);
        }
        failedMessages.incrementAndGet();
        BatchResult.Builder result = BatchResult.builder(size);
        String reason = Secrets.mask(failure);
        for (int index : alertIndexes) {
            if (lastFailurePermanent) {
                result.rejected(index, reason); // Slack refused this message itself: sending it again cannot help
            }
            else {
                result.failed(index, reason);
            }
        }
        return result.build();
    }

    /** Posts one summary of {@code alerts}; null when Slack accepted it, else why not. */
    private @Nullable String send(List<LogEntry> alerts) {
        if (closed.get()) {
            return "the Slack backend is closed";
        }
        long now = System.currentTimeMillis();
        String paused = pauseReason;
        if (paused != null && now < pausedUntilMillis) {
            return "not sent: " + paused;
        }
        long oldest = Long.MAX_VALUE;
        for (LogEntry alert : alerts) {
            oldest = Math.min(oldest, alert.epochMillis());
        }
        byte[] body = SlackMessage.build(alerts, Math.max(0, now - oldest), settings);
        HttpRequest request = HttpRequest.newBuilder(webhook)
                .timeout(settings.requestTimeout())
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpDelivery.Outcome outcome = delivery.deliver(request, new HttpDelivery.Listener() {
            @Override
            public void onAnswer(HttpDelivery.Answer answer) {
                lastStatus = answer.status();
                if (answer.status() == 429) {
                    rateLimited.incrementAndGet();
                }
            }

            @Override
            public void onRetry(HttpDelivery.Answer answer, int retry, Duration wait) {
                webhookState = "retrying: " + problem(answer);
                retries.incrementAndGet();
            }
        });
        HttpDelivery.Answer answer = outcome.last();
        if (answer == null) {
            return "not sent";
        }
        switch (outcome.result()) {
            case DELIVERED -> {
                webhookState = "ok";
                pauseReason = null;
                return null;
            }
            case REFUSED, AUTH_REFUSED -> {
                return rejected(answer.status(), answer.body());
            }
            case GAVE_UP -> {
                String problem = problem(answer);
                webhookState = "failing: " + problem;
                int attempts = outcome.attempts();
                return problem + "; gave up after " + attempts + (attempts == 1 ? " attempt" : " attempts");
            }
            default -> {
                return problem(answer) + "; not retried because the pipeline is shutting down";
            }
        }
    }

    /** What went wrong with a retryable attempt, in Slack's terms. */
    private String problem(HttpDelivery.Answer answer) {
        int status = answer.status();
        if (status == 0) {
            return "could not reach the Slack webhook: " + (answer.timedOut()
                    ? "no answer within " + settings.requestTimeout() : answer.transportFailure());
        }
        if (status == 429) {
            return "rate limited by Slack (HTTP 429" + answerSuffix(answer.body()) + ")";
        }
        return "Slack answered HTTP " + status + answerSuffix(answer.body());
    }

    /** A status that retrying cannot fix. */
    private String rejected(int status, String answer) {
        String check = " Check " + SlackProperties.WEBHOOK_VARIABLE + " / " + SlackProperties.WEBHOOK_PROPERTY + ".";
        String reason;
        boolean webhookDead = true;
        switch (status) {
            case 400 -> {
                reason = "Slack rejected the message as invalid (HTTP 400" + answerSuffix(answer)
                        + "); not retried";
                webhookDead = false;
            }
            case 403 -> reason = "Slack refused the webhook (HTTP 403" + answerSuffix(answer)
                    + "): it was revoked or may not post to its channel." + check;
            case 404 -> reason = "unknown Slack webhook (HTTP 404" + answerSuffix(answer)
                    + "): the URL is wrong or the webhook was deleted." + check;
            case 410 -> reason = "Slack webhook is gone (HTTP 410" + answerSuffix(answer)
                    + "): the channel was archived or the webhook revoked." + check;
            default -> {
                reason = "unexpected answer from the Slack webhook (HTTP " + status + answerSuffix(answer)
                        + "); not retried";
                webhookDead = false;
            }
        }
        lastFailurePermanent = !webhookDead;
        if (!webhookDead) {
            webhookState = "failing: " + reason;
            return reason;
        }
        Duration pause = settings.rejectedPause();
        if (pause.isZero()) {
            webhookState = "rejected: " + reason;
            return reason;
        }
        Instant until = Instant.now().plus(pause);
        String paused = reason + " Sending paused until " + until + ".";
        boolean firstTime = pauseReason == null;
        pausedUntilMillis = until.toEpochMilli();
        pauseReason = paused;
        webhookState = "paused: " + paused;
        if (firstTime) {
            // The library's own loggers are never captured, so this line cannot turn into another alert.
            log.warn("Slack log backend: {}", Secrets.mask(paused));
        }
        return paused;
    }

    private static String answerSuffix(String answer) {
        return answer.isEmpty() ? "" : " " + answer;
    }

    @Override
    public Map<String, Object> getMetrics() {
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("backend", name());
        metrics.put("webhook", Secrets.describe(settings.webhookUrl()));
        metrics.put("minLevel", settings.minLevel().name());
        metrics.put("sentMessages", sentMessages.get());
        metrics.put("failedMessages", failedMessages.get());
        metrics.put("alertedEntries", alertedEntries.get());
        metrics.put("filtered", filtered.get());
        metrics.put("rateLimited", rateLimited.get());
        metrics.put("retries", retries.get());
        int status = lastStatus;
        metrics.put("lastStatus", status == 0 ? null : status);
        metrics.put("webhookState", Secrets.mask(webhookState));
        return metrics;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            // HttpClient is AutoCloseable from Java 21 on; on 17 its threads are daemons that end when idle.
            Object c = client;
            if (c instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                }
                catch (Exception ignored) {
                    // closing is best effort
                }
            }
        }
    }

    @Override
    public String toString() {
        return "SlackBackend[webhook=" + Secrets.describe(settings.webhookUrl()) + ", minLevel=" + settings.minLevel()
                + "]";
    }
}
