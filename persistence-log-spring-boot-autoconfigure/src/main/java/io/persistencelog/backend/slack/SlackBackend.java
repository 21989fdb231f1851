package io.persistencelog.backend.slack;

import io.persistencelog.BackendNames;
import io.persistencelog.BatchResult;
import io.persistencelog.LogBackend;
import io.persistencelog.LogEntry;
import io.persistencelog.engine.DefaultAppLogger;
import io.persistencelog.codec.SafeText;
import io.persistencelog.codec.Secrets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts alerts to a Slack incoming webhook.
 *
 * <p>Only entries at or above {@link SlackSettings#minLevel()} are sent; the others are counted as
 * {@code filtered} and succeed for the pipeline. The lane gathers entries for
 * {@link SlackSettings#burstWindow()} after the first one, and each batch becomes <em>one</em> message
 * ("17 errors in the last 10 s" with the most frequent distinct messages), sent no sooner than
 * {@link SlackSettings#minInterval()} after the previous request: Slack accepts about one message per
 * second per webhook. While the backend waits, new entries pile up in its lane and go out together in the
 * next message, so an error storm costs one request per interval, never one per error.
 *
 * <p>A 429 is retried after Slack's {@code Retry-After}; 5xx, 408 and network errors are retried with
 * backoff, both up to {@link SlackSettings#maxRetries()} times. A 400 (invalid payload) fails the message
 * without retry; 403, 404 and 410 (revoked or unknown webhook) fail it and pause sending for
 * {@link SlackSettings#rejectedPause()}, so a dead webhook is not hammered. The reason is reported in the
 * lane's {@code lastError} and in {@code webhookState}.
 *
 * <p>The webhook URL is a secret: it is registered with {@link Secrets} and never appears in metrics,
 * exceptions, log lines or {@link #toString()}.
 */
public final class SlackBackend implements LogBackend {

    /** Entries per batch: large, because a batch becomes one summary message whatever its size. */
    static final int MAX_BATCH_ENTRIES = 10_000;
    private static final Logger log = LoggerFactory.getLogger(SlackBackend.class);
    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final int BODY_SNIPPET_LENGTH = 120;

    private final SlackSettings settings;
    private final URI webhook;
    private final HttpClient client;

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

    /** Touched by the lane thread only. */
    private long lastRequestNanos;
    /** Whether the last failure was Slack refusing the message itself (400): not worth spooling. */
    private boolean lastFailurePermanent;
    private boolean requestedBefore;

    public SlackBackend(SlackSettings settings) {
        this(settings, HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build());
    }

    SlackBackend(SlackSettings settings, HttpClient client) {
        this.settings = settings;
        this.webhook = settings.webhookUri();
        this.client = client;
        Secrets.register(settings.webhookUrl());
    }

    @Override
    public String name() {
        return BackendNames.SLACK;
    }

    /** Failed requests are already retried here with backoff; the pipeline must not retry them again. */
    @Override
    public boolean retriesInternally() {
        return true;
    }

    @Override
    public int maxBatchSize() {
        return MAX_BATCH_ENTRIES;
    }

    @Override
    public Duration maxBatchWait() {
        return settings.burstWindow();
    }

    @Override
    public boolean write(LogEntry entry) {
        return writeBatch(List.of(entry)).failedCount() == 0;
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
        Interruption interruption = new Interruption();
        try {
            return post(request, interruption);
        }
        finally {
            if (interruption.happened) {
                // Keep the lane's shutdown signal for the lane.
                Thread.currentThread().interrupt();
            }
        }
    }

    private @Nullable String post(HttpRequest request, Interruption interruption) {
        for (int attempt = 0; ; attempt++) {
            pace(interruption);
            lastRequestNanos = System.nanoTime();
            requestedBefore = true;
            Duration retryIn;
            String problem;
            try {
                HttpResponse<String> response;
                try {
                    response = exchange(request, interruption);
                }
                finally {
                    // Pace from the end of a request: the next one then arrives at least minInterval after it.
                    lastRequestNanos = System.nanoTime();
                }
                int status = response.statusCode();
                lastStatus = status;
                if (status >= 200 && status < 300) {
                    webhookState = "ok";
                    pauseReason = null;
                    return null;
                }
                String answer = snippet(response.body());
                if (status == 429) {
                    rateLimited.incrementAndGet();
                    retryIn = retryAfter(response, DEFAULT_RETRY_AFTER);
                    problem = "rate limited by Slack (HTTP 429" + answerSuffix(answer) + ")";
                }
                else if (status == 408 || status >= 500) {
                    retryIn = retryAfter(response, backoff(attempt));
                    problem = "Slack answered HTTP " + status + answerSuffix(answer);
                }
                else {
                    return rejected(status, answer);
                }
            }
            catch (TransportFailure ex) {
                lastStatus = 0;
                retryIn = backoff(attempt);
                problem = "could not reach the Slack webhook: " + ex.getMessage();
            }
            if (attempt >= settings.maxRetries()) {
                webhookState = "failing: " + problem;
                return problem + "; gave up after " + (attempt + 1) + (attempt == 0 ? " attempt" : " attempts");
            }
            webhookState = "retrying: " + problem;
            if (!sleep(capped(retryIn), interruption)) {
                return problem + "; not retried because the pipeline is shutting down";
            }
            retries.incrementAndGet();
        }
    }

    /** A status that retrying cannot fix. */
    private String rejected(int status, String answer) {
        String check = " Check " + SlackSettings.WEBHOOK_VARIABLE + " / " + SlackSettings.WEBHOOK_PROPERTY + ".";
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
            // The marker keeps this line out of the capture: it must not turn into another alert.
            log.warn(DefaultAppLogger.PERSISTED_MARKER, "Slack log backend: {}", Secrets.mask(paused));
        }
        return paused;
    }

    private HttpResponse<String> exchange(HttpRequest request, Interruption interruption) throws TransportFailure {
        CompletableFuture<HttpResponse<String>> future = client.sendAsync(request,
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + settings.requestTimeout().plusSeconds(1).toNanos();
        while (true) {
            try {
                return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            catch (InterruptedException ex) {
                // A shutdown: let this request finish (it is bounded by the timeout) so the alert is not lost.
                interruption.happened = true;
            }
            catch (TimeoutException ex) {
                future.cancel(true);
                throw new TransportFailure("no answer within " + settings.requestTimeout());
            }
            catch (ExecutionException ex) {
                Throwable cause = ex.getCause() == null ? ex : ex.getCause();
                // The JDK client may quote the URI in its messages: mask before anyone sees it.
                throw new TransportFailure(Secrets.mask(cause.getClass().getSimpleName() + ": "
                        + SafeText.toText(cause.getMessage())));
            }
        }
    }

    /** Waits until {@code minInterval} has passed since the previous request; a shutdown does not cut it. */
    private void pace(Interruption interruption) {
        if (!requestedBefore) {
            return;
        }
        long wait = lastRequestNanos + settings.minInterval().toNanos() - System.nanoTime();
        while (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            catch (InterruptedException ex) {
                interruption.happened = true;
            }
            wait = lastRequestNanos + settings.minInterval().toNanos() - System.nanoTime();
        }
    }

    /** Sleeps before a retry; false when a shutdown interrupted it (then the retry is abandoned). */
    private boolean sleep(Duration duration, Interruption interruption) {
        if (interruption.happened) {
            return false;
        }
        try {
            TimeUnit.NANOSECONDS.sleep(duration.toNanos());
            return true;
        }
        catch (InterruptedException ex) {
            interruption.happened = true;
            return false;
        }
    }

    private Duration capped(Duration wait) {
        Duration atLeast = wait.compareTo(settings.minInterval()) < 0 ? settings.minInterval() : wait;
        return atLeast.compareTo(settings.maxRetryWait()) > 0 ? settings.maxRetryWait() : atLeast;
    }

    private static Duration backoff(int attempt) {
        return FIRST_BACKOFF.multipliedBy(1L << Math.min(attempt, 6));
    }

    /** {@code Retry-After} in seconds or as an HTTP date; {@code otherwise} when absent or unreadable. */
    static Duration retryAfter(HttpResponse<?> response, Duration otherwise) {
        String value = response.headers().firstValue("Retry-After").orElse(null);
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        String v = value.trim();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? otherwise : Duration.ofSeconds(seconds);
        }
        catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration until = Duration.between(Instant.now(), at.toInstant());
                return until.isNegative() ? Duration.ZERO : until;
            }
            catch (DateTimeParseException notADate) {
                return otherwise;
            }
        }
    }

    /** The start of Slack's answer ({@code invalid_payload}, {@code no_service}...), printable and masked. */
    private static String snippet(@Nullable String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String text = body.strip();
        if (text.length() > BODY_SNIPPET_LENGTH) {
            text = text.substring(0, BODY_SNIPPET_LENGTH) + SlackMessage.ELLIPSIS;
        }
        StringBuilder clean = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> clean.appendCodePoint(Character.isISOControl(cp) ? ' ' : cp));
        return Secrets.mask(clean.toString());
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

    /** Whether the lane was interrupted (its shutdown signal) while this backend waited. */
    private static final class Interruption {
        boolean happened;
    }

    /** A request that got no HTTP answer; its message is already masked. */
    private static final class TransportFailure extends Exception {
        private static final long serialVersionUID = 1L;

        TransportFailure(String message) {
            super(message, null, false, false);
        }
    }
}
