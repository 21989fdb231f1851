package io.persistencelog.backend.datadog;

import io.persistencelog.BatchResult;
import io.persistencelog.LogEntry;
import io.persistencelog.codec.ByteSink;
import io.persistencelog.codec.JsonLineEncoder;
import io.persistencelog.codec.SafeText;
import io.persistencelog.codec.Secrets;
import io.persistencelog.http.HttpBackend;
import io.persistencelog.http.HttpDelivery;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import java.util.zip.GZIPOutputStream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// Longer than 350 lines on purpose: one request's whole life with Datadog's limits (1000 entries, 5 MB, 1 MB per entry), gzip, the
// API-key rejection that stops sending, and the figures the endpoint shows; the retry loop itself is HttpDelivery's.
/**
 * Sends entries to Datadog's Logs HTTP intake:
 * {@code POST https://http-intake.logs.<site>/api/v2/logs} with {@code DD-API-KEY}, a gzip-compressed JSON
 * array and {@code Content-Encoding: gzip}.
 *
 * <p>Each batch the lane hands over is cut into requests of at most 1000 entries and 5 MB before
 * compression; an entry over 1 MB is cut (see {@link DatadogEncoder}) and counted in {@code truncated}.
 * A request answered 408, 429 or 5xx, or that could not be sent, is retried after an exponential backoff
 * with jitter or after the server's {@code Retry-After} / {@code X-RateLimit-Reset}, up to
 * {@code maxRetries} times; a 2xx answer settles it and it is never sent again. A 400, 413 or other 4xx is
 * not retried: its entries fail and the status is counted in {@code rejectedByStatus}. A 401 or 403 means
 * the API key is wrong for this site: one WARN says so, and the backend sends nothing for
 * {@link DatadogProperties#rejectedPause()} (entries fail at once, retryable, so a spool keeps them) instead of
 * hammering the API with a key it rejects; then one request probes again, so a key rotated or re-enabled in
 * Datadog is picked up without a restart. An accepted probe resumes sending and is logged at INFO.
 *
 * <p>Datadog's intake accepts, and then silently drops, logs stamped more than 18 hours in the past (or 2
 * in the future). Such an entry (a spool replayed after a long outage, a clock step) is re-stamped with the
 * time it is sent, keeps its own time in {@code persistence_log.original_timestamp}, and is counted in
 * {@code restamped}.
 *
 * <p>The lane is interrupted only when shutdown has given up on it (its entries are then counted as lost):
 * a request already on the wire is still awaited, so nothing is sent twice, but no further attempt or
 * request is made.
 */
public final class DatadogBackend extends HttpBackend {

    /** Most entries in one request. */
    public static final int MAX_ENTRIES_PER_REQUEST = 1000;
    /** Largest request body before compression. */
    public static final int MAX_PAYLOAD_BYTES = 5_000_000;
    /** Largest single log object. */
    public static final int MAX_ENTRY_BYTES = 1_000_000;
    static final String USER_AGENT = "persistence-log";
    private static final int REASON_BODY_CHARS = 200;

    private static final Logger log = LoggerFactory.getLogger(DatadogBackend.class);

    /** The backend's name in {@code LOG_BACKENDS}. */
    public static final String NAME = "datadog";

    private final DatadogProperties settings;
    private final String apiKey;
    private final URI uri;
    private final String endpoint;
    private final String hostname;
    private final HttpDelivery delivery;
    private final DatadogEncoder encoder;
    private final ByteSink payload = new ByteSink(256 * 1024);
    private final ByteSink compressed = new ByteSink(64 * 1024);

    private final AtomicLong truncated = new AtomicLong();
    private final AtomicLong entriesSent = new AtomicLong();
    private final Map<Integer, AtomicLong> rejectedByStatus = new ConcurrentHashMap<>();
    private volatile @Nullable String authRejection;
    /** While {@link #authRejection} is set: nothing is sent before this {@link #nanoTime} reading. */
    private volatile long authPausedUntilNanos;
    private final java.util.function.LongSupplier nanoTime;
    private final AtomicLong restamped = new AtomicLong();
    /** Set when the lane was interrupted during this batch: shutdown gave up, so nothing more is sent. */
    private boolean interrupted;
    /** Whether the last failed request was refused for good (400, 413): its entries are not spooled. */
    private boolean lastFailurePermanent;

    /** With the default {@code max-value-length}. */
    public DatadogBackend(DatadogProperties settings) {
        this(settings, JsonLineEncoder.DEFAULT_MAX_VALUE_LENGTH);
    }

    /** Throws the "no API key" message when the settings have none (see {@link DatadogProperties#withFallbacks}). */
    public DatadogBackend(DatadogProperties settings, int maxValueLength) {
        this(settings, maxValueLength, HttpDelivery::sleepInterruptibly, () -> ThreadLocalRandom.current().nextDouble(),
                System::nanoTime, System::currentTimeMillis);
    }

    DatadogBackend(DatadogProperties settings, HttpDelivery.Sleeper sleeper, DoubleSupplier random) {
        this(settings, sleeper, random, System::nanoTime, System::currentTimeMillis);
    }

    /** With the clocks the rejected-key pause and the re-stamping read (tests move them). */
    DatadogBackend(DatadogProperties settings, HttpDelivery.Sleeper sleeper, DoubleSupplier random,
            java.util.function.LongSupplier nanoTime, java.util.function.LongSupplier wallMillis) {
        this(settings, JsonLineEncoder.DEFAULT_MAX_VALUE_LENGTH, sleeper, random, nanoTime, wallMillis);
    }

    DatadogBackend(DatadogProperties settings, int maxValueLength, HttpDelivery.Sleeper sleeper,
            DoubleSupplier random, java.util.function.LongSupplier nanoTime, java.util.function.LongSupplier wallMillis) {
        super(MAX_ENTRIES_PER_REQUEST, settings.batchWait());
        this.settings = settings;
        this.nanoTime = nanoTime;
        this.apiKey = settings.requiredApiKey();
        Secrets.register(apiKey);
        this.uri = settings.intakeUri();
        this.endpoint = settings.endpoint();
        this.hostname = settings.resolvedHostname();
        this.encoder = new DatadogEncoder(settings, hostname, MAX_ENTRY_BYTES, maxValueLength, wallMillis);
        this.delivery = HttpDelivery.builder(newClient(uri, settings.connectTimeout()))
                // The request timeout covers the answer's headers; this bound also covers connecting and the body.
                .deadline(settings.requestTimeout().plus(settings.connectTimeout()).plusSeconds(1))
                .maxRetries(settings.maxRetries())
                .backoff(settings.backoff())
                .maxWait(settings.maxBackoff())
                .jitter(random)
                .sleeper(sleeper)
                .snippetChars(REASON_BODY_CHARS)
                .build();
    }

    @Override
    public String name() {
        return NAME;
    }

    public DatadogProperties settings() {
        return settings;
    }

    @Override
    public BatchResult writeBatch(List<LogEntry> entries) {
        int size = entries.size();
        interrupted = false;
        String stopped = stoppedReason();
        if (stopped != null) {
            return BatchResult.failed(size, stopped);
        }
        BatchResult.Builder result = BatchResult.builder(size);
        try {
            startPayload();
            int chunkStart = 0;
            int inChunk = 0;
            // Counted when Datadog accepts the chunk: a failed send is encoded again on retry, and an entry
            // that never arrived was not re-stamped in Datadog.
            int restampedInChunk = 0;
            int restampedNext = 0;
            for (int i = 0; i < size; i++) {
                boolean cut;
                try {
                    cut = encoder.encode(entries.get(i));
                }
                catch (RuntimeException ex) {
                    result.failed(i, "could not encode entry: " + describe(ex));
                    continue;
                }
                if (cut) {
                    truncated.incrementAndGet();
                }
                restampedNext = encoder.restamped() ? 1 : 0;
                ByteSink entry = encoder.bytes();
                if (inChunk > 0 && (inChunk >= MAX_ENTRIES_PER_REQUEST
                        || payload.size() + 1 + entry.size() + 1 > MAX_PAYLOAD_BYTES)) {
                    if (sendChunk(chunkStart, i, inChunk, result)) {
                        restamped.addAndGet(restampedInChunk);
                    }
                    restampedInChunk = 0;
                    String nowStopped = stoppedReason();
                    if (nowStopped != null) {
                        // Rejected key or abandoned lane: the rest is not encoded, let alone sent.
                        for (int rest = i; rest < size; rest++) {
                            result.failed(rest, nowStopped);
                        }
                        return result.build();
                    }
                    startPayload();
                    chunkStart = i;
                    inChunk = 0;
                }
                if (inChunk > 0) {
                    payload.write(',');
                }
                payload.write(entry.array(), 0, entry.size());
                inChunk++;
                restampedInChunk += restampedNext;
            }
            if (inChunk > 0 && sendChunk(chunkStart, size, inChunk, result)) {
                restamped.addAndGet(restampedInChunk);
            }
        }
        finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return result.build();
    }

    private void startPayload() {
        payload.reset();
        payload.write('[');
    }

    /**
     * Sends the payload holding the entries of [from, to) that could be encoded ({@code count}); on failure
     * marks that range as failed.
     *
     * @return whether Datadog accepted it
     */
    private boolean sendChunk(int from, int to, int count, BatchResult.Builder result) {
        String failure = stoppedReason();
        lastFailurePermanent = false;
        if (failure == null) {
            payload.write(']');
            failure = deliver(gzip(), count);
        }
        if (failure != null) {
            for (int i = from; i < to; i++) {
                if (lastFailurePermanent) {
                    result.rejected(i, failure); // Datadog refused the payload: sending it again cannot help
                }
                else {
                    result.failed(i, failure);
                }
            }
        }
        return failure == null;
    }

    private byte[] gzip() {
        compressed.reset();
        try (GZIPOutputStream out = new GZIPOutputStream(compressed, 8192)) {
            out.write(payload.array(), 0, payload.size());
        }
        catch (IOException ex) {
            throw new IllegalStateException("gzip into memory failed", ex);
        }
        // A copy: a request abandoned after a timeout may still be reading its body.
        return compressed.toByteArray();
    }

    /** Sends one request body with retries; null when Datadog accepted it, else why not. */
    private @Nullable String deliver(byte[] body, int entryCount) {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(settings.requestTimeout())
                .header("DD-API-KEY", apiKey)
                .header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip")
                .header("User-Agent", USER_AGENT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpDelivery.Outcome outcome = delivery.deliver(request, new HttpDelivery.Listener() {
            @Override
            public @Nullable String beforeAttempt(int attempt) {
                return stoppedReason();
            }

            @Override
            public void onAnswer(HttpDelivery.Answer answer) {
                requestStats.answered(answer);
            }

            @Override
            public void onRetry(HttpDelivery.Answer answer, int retry, Duration wait) {
                requestStats.retried();
            }
        });
        if (outcome.interrupted()) {
            interrupted = true;
            Thread.interrupted(); // kept in the field and restored when the batch ends
        }
        HttpDelivery.Answer answer = outcome.last();
        String reason = answer == null ? "" : describe(answer);
        switch (outcome.result()) {
            case DELIVERED -> {
                entriesSent.addAndGet(entryCount);
                requestStats.delivered(body.length);
                if (authRejection != null) {
                    authRejection = null;
                    log.info("persistence-log: Datadog accepted the API key again ({}); sending resumed.", endpoint);
                }
                return null;
            }
            case STOPPED -> {
                return Objects.requireNonNullElse(outcome.stopReason(), "not sent");
            }
            case AUTH_REFUSED -> {
                return rejectKey(answer == null ? 0 : answer.status());
            }
            case REFUSED -> {
                int status = answer == null ? 0 : answer.status();
                lastFailurePermanent = true;
                rejectedByStatus.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
                requestStats.rejected(reason);
                requestStats.failed();
                return reason + " (not retried)";
            }
            case INTERRUPTED -> {
                requestStats.failed();
                return reason + " (not retried: shutdown gave up on the datadog backend)";
            }
            default -> {
                requestStats.failed();
                int retry = outcome.retries();
                return reason + " (gave up after " + retry + (retry == 1 ? " retry)" : " retries)");
            }
        }
    }

    /** An answer as Datadog's reason: the status and body, or why there was no answer. */
    private String describe(HttpDelivery.Answer answer) {
        if (answer.status() != 0) {
            return answer.describe();
        }
        return answer.timedOut() ? "no answer from " + endpoint + " within " + settings.requestTimeout()
                : "could not reach " + endpoint + ": " + answer.transportFailure();
    }

    private String rejectKey(int status) {
        String reason = "Datadog rejected the API key (HTTP " + status + " from " + endpoint
                + "); sending paused for " + settings.rejectedPause() + ", then one request probes again. Check"
                + " DD_API_KEY / log-persistence.datadog.api-key and that the key belongs to site "
                + settings.siteOrDefault() + " (DD_SITE / log-persistence.datadog.site).";
        synchronized (this) {
            authPausedUntilNanos = nanoTime.getAsLong() + settings.rejectedPause().toNanos();
            if (authRejection != null) {
                // A failed probe: paused again, reported once already.
                rejectedByStatus.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
                requestStats.failed();
                return Secrets.mask(authRejection);
            }
            authRejection = Secrets.mask(reason);
        }
        rejectedByStatus.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
        requestStats.rejected(Secrets.mask(reason));
        requestStats.failed();
        log.warn("persistence-log: {} Entries for the datadog backend are counted as failed from now on.",
                Secrets.mask(reason));
        return Secrets.mask(reason);
    }

    private @Nullable String stoppedReason() {
        String rejection = authRejection;
        if (rejection != null && nanoTime.getAsLong() - authPausedUntilNanos < 0) {
            return rejection; // within the pause; once it is over, the next request probes
        }
        if (interrupted) {
            return "not sent: shutdown gave up on the datadog backend";
        }
        return isClosed() ? "the datadog backend is closed" : null;
    }

    private static String describe(Throwable ex) {
        return Secrets.mask(ex.getClass().getSimpleName() + ": " + SafeText.toText(ex.getMessage()));
    }

    /** Whether Datadog rejected the API key and no request was accepted since (sending is paused). */
    public boolean isRejectedByAuth() {
        return authRejection != null;
    }

    @Override
    public Map<String, Object> getMetrics() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backend", name());
        m.put("site", settings.siteOrDefault());
        m.put("endpoint", endpoint);
        m.put("service", settings.serviceOrDefault());
        m.put("source", settings.source());
        m.put("hostname", hostname);
        requestStats.putInto(m);
        m.put("rejectedByAuth", authRejection != null);
        Map<String, Long> rejected = new TreeMap<>();
        rejectedByStatus.forEach((code, count) -> rejected.put(String.valueOf(code), count.get()));
        m.put("rejectedByStatus", rejected);
        m.put("truncated", truncated.get());
        m.put("restamped", restamped.get());
        m.put("entriesSent", entriesSent.get());
        m.put("maxRetries", settings.maxRetries());
        return m;
    }

    @Override
    public String toString() {
        return "DatadogBackend[site=" + settings.siteOrDefault() + ", endpoint=" + endpoint + ", service="
                + settings.serviceOrDefault() + "]";
    }
}
