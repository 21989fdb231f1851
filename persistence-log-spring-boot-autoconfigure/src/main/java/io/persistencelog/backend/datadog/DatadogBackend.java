package io.persistencelog.backend.datadog;

import io.persistencelog.BackendNames;
import io.persistencelog.BatchResult;
import io.persistencelog.LogBackend;
import io.persistencelog.LogEntry;
import io.persistencelog.engine.ByteSink;
import io.persistencelog.engine.SafeText;
import io.persistencelog.engine.Secrets;
import java.io.IOException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.DoubleSupplier;
import java.util.zip.GZIPOutputStream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * {@link DatadogSettings#rejectedPause()} (entries fail at once, retryable, so a spool keeps them) instead of
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
public final class DatadogBackend implements LogBackend {

    /** Most entries in one request. */
    public static final int MAX_ENTRIES_PER_REQUEST = 1000;
    /** Largest request body before compression. */
    public static final int MAX_PAYLOAD_BYTES = 5_000_000;
    /** Largest single log object. */
    public static final int MAX_ENTRY_BYTES = 1_000_000;
    static final String USER_AGENT = "persistence-log";
    private static final int REASON_BODY_CHARS = 200;

    private static final Logger log = LoggerFactory.getLogger(DatadogBackend.class);

    private final DatadogSettings settings;
    private final URI uri;
    private final String endpoint;
    private final String hostname;
    private final HttpClient client;
    private final Sleeper sleeper;
    private final RetryBackoff backoff;
    private final DatadogEncoder encoder;
    private final ByteSink payload = new ByteSink(256 * 1024);
    private final ByteSink compressed = new ByteSink(64 * 1024);

    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong truncated = new AtomicLong();
    private final AtomicLong entriesSent = new AtomicLong();
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicLong failedRequests = new AtomicLong();
    private final Map<Integer, AtomicLong> rejectedByStatus = new ConcurrentHashMap<>();
    private volatile int lastStatus;
    private volatile @Nullable String lastRejection;
    private volatile @Nullable String authRejection;
    /** While {@link #authRejection} is set: nothing is sent before this {@link #nanoTime} reading. */
    private volatile long authPausedUntilNanos;
    private final java.util.function.LongSupplier nanoTime;
    private final AtomicLong restamped = new AtomicLong();
    private volatile boolean closed;
    /** Set when the lane was interrupted during this batch: shutdown gave up, so nothing more is sent. */
    private boolean interrupted;
    /** Whether the last failed request was refused for good (400, 413): its entries are not spooled. */
    private boolean lastFailurePermanent;

    public DatadogBackend(DatadogSettings settings) {
        this(settings, DatadogBackend::sleepInterruptibly, () -> ThreadLocalRandom.current().nextDouble());
    }

    DatadogBackend(DatadogSettings settings, Sleeper sleeper, DoubleSupplier random) {
        this(settings, sleeper, random, System::nanoTime, System::currentTimeMillis);
    }

    /** With the clocks the rejected-key pause and the re-stamping read (tests move them). */
    DatadogBackend(DatadogSettings settings, Sleeper sleeper, DoubleSupplier random,
            java.util.function.LongSupplier nanoTime, java.util.function.LongSupplier wallMillis) {
        this.settings = settings;
        this.nanoTime = nanoTime;
        Secrets.register(settings.apiKey());
        this.uri = settings.intakeUri();
        this.endpoint = settings.endpoint();
        this.hostname = settings.resolvedHostname();
        this.sleeper = sleeper;
        this.backoff = new RetryBackoff(settings.backoff(), settings.maxBackoff(), random);
        this.encoder = new DatadogEncoder(settings, hostname, MAX_ENTRY_BYTES, wallMillis);
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                // h2 is negotiated over TLS; plain http (a local proxy) stays on HTTP/1.1 without an upgrade.
                .version("https".equalsIgnoreCase(uri.getScheme()) ? HttpClient.Version.HTTP_2
                        : HttpClient.Version.HTTP_1_1);
        ProxySelector proxies = ProxySelector.getDefault();
        if (proxies != null) {
            builder.proxy(proxies);
        }
        this.client = builder.build();
    }

    /** What the lane waits with between attempts; false when interrupted. */
    @FunctionalInterface
    interface Sleeper {
        boolean sleep(Duration duration);
    }

    @Override
    public String name() {
        return BackendNames.DATADOG;
    }

    /** Failed requests are already retried here with backoff; the pipeline must not retry them again. */
    @Override
    public boolean retriesInternally() {
        return true;
    }

    public DatadogSettings settings() {
        return settings;
    }

    @Override
    public int maxBatchSize() {
        return MAX_ENTRIES_PER_REQUEST;
    }

    @Override
    public Duration maxBatchWait() {
        return settings.batchWait();
    }

    @Override
    public boolean write(LogEntry entry) {
        return writeBatch(List.of(entry)).failedCount() == 0;
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
                .header("DD-API-KEY", settings.apiKey())
                .header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip")
                .header("User-Agent", USER_AGENT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        int retry = 0;
        while (true) {
            String stopped = stoppedReason();
            if (stopped != null) {
                return stopped;
            }
            Attempt attempt = send(request);
            requests.incrementAndGet();
            int status = attempt.status();
            if (status != 0) {
                lastStatus = status;
            }
            if (status >= 200 && status < 300) {
                entriesSent.addAndGet(entryCount);
                bytesSent.addAndGet(body.length);
                if (authRejection != null) {
                    authRejection = null;
                    log.info("persistence-log: Datadog accepted the API key again ({}); sending resumed.", endpoint);
                }
                return null;
            }
            if (status == 401 || status == 403) {
                return rejectKey(status);
            }
            String reason = attempt.describe();
            if (!attempt.retryable()) {
                lastFailurePermanent = true;
                rejectedByStatus.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
                lastRejection = reason;
                failedRequests.incrementAndGet();
                return reason + " (not retried)";
            }
            if (retry >= settings.maxRetries() || interrupted) {
                failedRequests.incrementAndGet();
                return reason + (interrupted ? " (not retried: shutdown gave up on the datadog backend)"
                        : " (gave up after " + retry + (retry == 1 ? " retry)" : " retries)"));
            }
            if (!sleeper.sleep(backoff.delay(retry + 1, attempt.serverHint()))) {
                interrupted = true;
                failedRequests.incrementAndGet();
                return reason + " (not retried: shutdown gave up on the datadog backend)";
            }
            retry++;
            retries.incrementAndGet();
        }
    }

    private Attempt send(HttpRequest request) {
        CompletableFuture<HttpResponse<byte[]>> future = client.sendAsync(request,
                HttpResponse.BodyHandlers.ofByteArray());
        // The request timeout covers the answer's headers; this bound also covers connecting and the body.
        long deadline = System.nanoTime() + settings.requestTimeout().plus(settings.connectTimeout()).toNanos()
                + TimeUnit.SECONDS.toNanos(1);
        while (true) {
            try {
                long remaining = deadline - System.nanoTime();
                HttpResponse<byte[]> response = future.get(Math.max(0, remaining), TimeUnit.NANOSECONDS);
                return Attempt.answered(response.statusCode(), snippet(response.body()),
                        RetryBackoff.serverHint(response.statusCode(), name -> response.headers().firstValue(name),
                                Instant.now()));
            }
            catch (InterruptedException ex) {
                // A request on the wire is awaited, not abandoned: abandoning it could send it twice.
                interrupted = true;
            }
            catch (ExecutionException ex) {
                Throwable cause = ex.getCause() == null ? ex : ex.getCause();
                return Attempt.failed("could not reach " + endpoint + ": " + describe(cause));
            }
            catch (TimeoutException ex) {
                future.cancel(true);
                return Attempt.failed("no answer from " + endpoint + " within " + settings.requestTimeout());
            }
        }
    }

    private String rejectKey(int status) {
        String reason = "Datadog rejected the API key (HTTP " + status + " from " + endpoint
                + "); sending paused for " + settings.rejectedPause() + ", then one request probes again. Check"
                + " DD_API_KEY / log-persistence.datadog.api-key and that the key belongs to site " + settings.site()
                + " (DD_SITE / log-persistence.datadog.site).";
        synchronized (this) {
            authPausedUntilNanos = nanoTime.getAsLong() + settings.rejectedPause().toNanos();
            if (authRejection != null) {
                // A failed probe: paused again, reported once already.
                rejectedByStatus.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
                failedRequests.incrementAndGet();
                return Secrets.mask(authRejection);
            }
            authRejection = Secrets.mask(reason);
        }
        rejectedByStatus.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
        lastRejection = Secrets.mask(reason);
        failedRequests.incrementAndGet();
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
        return closed ? "the datadog backend is closed" : null;
    }

    private static String snippet(byte @Nullable [] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        String text = new String(body, 0, Math.min(body.length, REASON_BODY_CHARS * 4), StandardCharsets.UTF_8)
                .replaceAll("\\s+", " ").trim();
        return text.length() > REASON_BODY_CHARS ? text.substring(0, REASON_BODY_CHARS) + "..." : text;
    }

    private static String describe(Throwable ex) {
        return Secrets.mask(ex.getClass().getSimpleName() + ": " + SafeText.toText(ex.getMessage()));
    }

    static boolean sleepInterruptibly(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        while (true) {
            if (Thread.interrupted()) {
                return false;
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return true;
            }
            LockSupport.parkNanos(remaining);
        }
    }

    /** Whether Datadog rejected the API key and no request was accepted since (sending is paused). */
    public boolean isRejectedByAuth() {
        return authRejection != null;
    }

    @Override
    public Map<String, Object> getMetrics() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backend", name());
        m.put("site", settings.site());
        m.put("endpoint", endpoint);
        m.put("service", settings.service());
        m.put("source", settings.source());
        m.put("hostname", hostname);
        m.put("requests", requests.get());
        m.put("retries", retries.get());
        m.put("failedRequests", failedRequests.get());
        int status = lastStatus;
        m.put("lastStatus", status == 0 ? null : status);
        m.put("rejectedByAuth", authRejection != null);
        Map<String, Long> rejected = new TreeMap<>();
        rejectedByStatus.forEach((code, count) -> rejected.put(String.valueOf(code), count.get()));
        m.put("rejectedByStatus", rejected);
        m.put("lastRejection", lastRejection);
        m.put("truncated", truncated.get());
        m.put("restamped", restamped.get());
        m.put("entriesSent", entriesSent.get());
        m.put("bytesSent", bytesSent.get());
        m.put("maxRetries", settings.maxRetries());
        return m;
    }

    /** Nothing is buffered between batches: each batch is sent before {@code writeBatch} returns. */
    @Override
    public void flush() {
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "DatadogBackend[site=" + settings.site() + ", endpoint=" + endpoint + ", service="
                + settings.service() + "]";
    }

    /** One try: an HTTP status (0 when no answer came), and what to say about it. */
    private record Attempt(int status, String detail, @Nullable Duration serverHint) {

        static Attempt answered(int status, String body, @Nullable Duration hint) {
            return new Attempt(status, body, hint);
        }

        static Attempt failed(String why) {
            return new Attempt(0, why, null);
        }

        boolean retryable() {
            return status == 0 || status == 408 || status == 429 || status >= 500;
        }

        String describe() {
            if (status == 0) {
                return detail;
            }
            return Secrets.mask("HTTP " + status + (detail.isEmpty() ? "" : ": " + detail));
        }
    }
}
