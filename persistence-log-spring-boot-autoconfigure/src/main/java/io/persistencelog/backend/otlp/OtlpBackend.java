package io.persistencelog.backend.otlp;

import io.opentelemetry.exporter.internal.otlp.logs.LogsRequestMarshaler;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.persistencelog.BatchResult;
import io.persistencelog.LogEntry;
import io.persistencelog.codec.ByteSink;
import io.persistencelog.codec.SafeText;
import io.persistencelog.codec.Secrets;
import io.persistencelog.http.HttpBackend;
import io.persistencelog.http.HttpDelivery;
import io.persistencelog.http.HttpVerdict;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.jspecify.annotations.Nullable;

// Longer than 350 lines on purpose: one OTLP request's whole life (encoding, gzip, the specification's retry and rejection
// rules, partial success) and the figures the endpoint shows; the retry loop itself is HttpDelivery's.
/**
 * Sends entries as OpenTelemetry log records over OTLP/HTTP: {@code POST <endpoint>} with an
 * {@code application/x-protobuf} {@code ExportLogsServiceRequest}, encoded by the OpenTelemetry exporter's
 * own marshalers from the SDK's log data model ({@link OtlpLogMapper}); gzip-compressed unless configured
 * otherwise.
 *
 * <p>Delivery follows the OTLP/HTTP specification: 429, 502, 503, 504 and connection failures are retried
 * with exponential back-off, or after the server's {@code Retry-After}; every other status is a permanent
 * rejection (counted in {@code rejected}, not retried, never spooled). A 200 whose
 * {@code partial_success.rejected_log_records} is above zero counts those records as rejected and keeps the
 * server's {@code error_message} in {@code lastRejection}. Retries use the shared {@link HttpDelivery}; the
 * lane's circuit breaker and the spool (this backend spools by default) take what still fails.
 */
public final class OtlpBackend extends HttpBackend {

    public static final String NAME = "otlp";
    static final String USER_AGENT = "persistence-log-otlp";
    private static final Set<Integer> OTLP_RETRYABLE = Set.of(429, 502, 503, 504);

    private final OtlpSettings settings;
    private final String endpoint;
    private final OtlpLogMapper mapper;
    private final HttpDelivery delivery;
    private final ByteSink payload = new ByteSink(64 * 1024);
    private final ByteSink compressed = new ByteSink(16 * 1024);

    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong recordsSent = new AtomicLong();

    /** Set by the listener when a status that OTLP says not to retry came back; read on the lane thread. */
    private @Nullable String notRetryable;
    /** The partial success of the last 2xx answer. */
    private @Nullable PartialSuccess partialSuccess;

    public OtlpBackend(OtlpSettings settings, Clock clock, int maxValueLength) {
        this(settings, clock, maxValueLength, HttpDelivery::sleepInterruptibly);
    }

    OtlpBackend(OtlpSettings settings, Clock clock, int maxValueLength, HttpDelivery.Sleeper sleeper) {
        super(settings.batchSize(), settings.batchWait());
        this.settings = settings;
        this.endpoint = Secrets.mask(settings.safeEndpoint());
        this.mapper = new OtlpLogMapper(settings.resource(), clock, maxValueLength);
        this.delivery = HttpDelivery.builder(newClient(settings.endpoint(), settings.timeout()))
                .deadline(settings.timeout().plusSeconds(1))
                .maxRetries(settings.maxRetries())
                .backoff(settings.backoff())
                .maxWait(settings.maxBackoff())
                // OTLP knows no "credentials refused" state: a 401/403 is a rejection like any other 4xx.
                .authStatuses(Set.of())
                // A status OTLP forbids retrying (HttpDelivery would retry 408 and 500) ends the delivery at once.
                .sleeper(wait -> notRetryable != null || sleeper.sleep(wait))
                .clock(clock)
                .build();
    }

    @Override
    public String name() {
        return NAME;
    }

    public OtlpSettings settings() {
        return settings;
    }

    @Override
    public BatchResult writeBatch(List<LogEntry> entries) {
        int size = entries.size();
        BatchResult.Builder result = BatchResult.builder(size);
        for (int from = 0; from < size; from += settings.batchSize()) {
            int to = Math.min(size, from + settings.batchSize());
            String stop = sendChunk(entries, from, to, result);
            if (stop != null) {
                // The collector is unreachable (or shutdown gave up): the rest is not sent either, so the
                // batch fails as a whole and a spool keeps it in order instead of behind later entries.
                for (int i = to; i < size; i++) {
                    result.failed(i, "not sent: " + stop);
                }
                break;
            }
        }
        return result.build();
    }

    /** Sends entries [from, to); why nothing more should be sent now, or null. */
    private @Nullable String sendChunk(List<LogEntry> entries, int from, int to, BatchResult.Builder result) {
        List<LogRecordData> records = new ArrayList<>(to - from);
        int[] indexes = new int[to - from];
        for (int i = from; i < to; i++) {
            try {
                indexes[records.size()] = i;
                records.add(mapper.map(entries.get(i)));
            }
            catch (RuntimeException ex) {
                result.rejected(i, "could not map entry: " + describe(ex));
            }
        }
        if (records.isEmpty()) {
            return null;
        }
        byte[] body;
        try {
            body = encode(records);
        }
        catch (IOException | RuntimeException ex) {
            String why = "could not encode the request: " + describe(ex);
            for (int k = 0; k < records.size(); k++) {
                result.rejected(indexes[k], why);
            }
            return null;
        }
        HttpDelivery.Outcome outcome = deliver(body);
        int count = records.size();
        HttpDelivery.Result ended = outcome.result();
        if (notRetryable != null && ended != HttpDelivery.Result.DELIVERED) {
            // A status OTLP says not to retry (500, 408) that came with no retry left, or while shutting down,
            // ends as "gave up" or "interrupted" in HttpDelivery's terms: it is still a rejection, never spooled.
            ended = HttpDelivery.Result.REFUSED;
        }
        switch (ended) {
            case DELIVERED -> {
                PartialSuccess partial = partialSuccess;
                long refused = partial == null ? 0 : Math.min(count, Math.max(0, partial.rejected()));
                if (partial != null && refused > 0) {
                    // The collector does not say which records it refused: the last ones are counted as refused.
                    String why = Secrets.mask("the collector rejected " + refused + " of " + count + " log records: "
                            + (partial.message().isEmpty() ? "(no error_message)" : partial.message()));
                    requestStats.rejected(why);
                    rejected.addAndGet(refused);
                    for (int k = count - (int) refused; k < count; k++) {
                        result.rejected(indexes[k], why);
                    }
                }
                else if (partial != null && !partial.message().isEmpty()) {
                    requestStats.rejected(Secrets.mask("the collector warned: " + partial.message()));
                }
                recordsSent.addAndGet(count - refused);
                requestStats.delivered(body.length);
            }
            case REFUSED, AUTH_REFUSED, STOPPED -> {
                String stop = outcome.stopReason();
                boolean refusedForGood = ended != HttpDelivery.Result.STOPPED || notRetryable != null;
                HttpDelivery.Answer last = outcome.last();
                String why = last != null && refusedForGood ? Secrets.mask(last.describe() + " from " + endpoint
                        + " (not retried)") : stop == null ? "not sent" : stop;
                requestStats.failed();
                if (refusedForGood) {
                    requestStats.rejected(why);
                    rejected.addAndGet(count);
                }
                for (int k = 0; k < count; k++) {
                    if (refusedForGood) {
                        result.rejected(indexes[k], why);
                    }
                    else {
                        result.failed(indexes[k], why);
                    }
                }
                if (!refusedForGood) {
                    return why;
                }
            }
            case GAVE_UP, INTERRUPTED -> {
                requestStats.failed();
                HttpDelivery.Answer last = outcome.last();
                String what = last == null ? "no answer" : last.describe();
                String why = Secrets.mask(what + " from " + endpoint + (ended == HttpDelivery.Result.GAVE_UP
                        ? " (gave up after " + outcome.retries() + (outcome.retries() == 1 ? " retry)" : " retries)")
                        : " (not retried: shutdown gave up on the otlp backend)"));
                for (int k = 0; k < count; k++) {
                    result.failed(indexes[k], why);
                }
                return why;
            }
        }
        return null;
    }

    private byte[] encode(List<LogRecordData> records) throws IOException {
        payload.reset();
        LogsRequestMarshaler.create(records).writeBinaryTo(payload);
        if (!settings.gzip()) {
            return payload.toByteArray();
        }
        compressed.reset();
        try (GZIPOutputStream out = new GZIPOutputStream(compressed, 8192)) {
            out.write(payload.array(), 0, payload.size());
        }
        // A copy: a request abandoned after a timeout may still be reading its body.
        return compressed.toByteArray();
    }

    private HttpDelivery.Outcome deliver(byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(settings.endpoint())
                .timeout(settings.timeout())
                .header("Content-Type", "application/x-protobuf")
                .header("User-Agent", USER_AGENT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (settings.gzip()) {
            request.header("Content-Encoding", "gzip");
        }
        settings.headers().forEach(request::header);
        notRetryable = null;
        partialSuccess = null;
        return delivery.deliver(request.build(), new HttpDelivery.Listener() {

            @Override
            public @Nullable String beforeAttempt(int attempt) {
                if (notRetryable != null) {
                    return notRetryable;
                }
                return isClosed() ? "the otlp backend is closed" : null;
            }

            @Override
            public void onResponseBody(HttpDelivery.Answer answer, byte[] responseBody) {
                if (answer.verdict() == HttpVerdict.SUCCESS) {
                    partialSuccess = PartialSuccess.parse(responseBody);
                }
            }

            @Override
            public void onAnswer(HttpDelivery.Answer answer) {
                requestStats.answered(answer);
                if (answer.status() != 0) {
                    if (answer.verdict() == HttpVerdict.RETRYABLE && !OTLP_RETRYABLE.contains(answer.status())) {
                        notRetryable = Secrets.mask(answer.describe() + " from " + endpoint);
                    }
                }
            }

            @Override
            public void onRetry(HttpDelivery.Answer answer, int retry, Duration wait) {
                if (notRetryable == null) {
                    requestStats.retried();
                }
            }
        });
    }

    private static String describe(Throwable ex) {
        return Secrets.mask(ex.getClass().getSimpleName() + ": " + SafeText.toText(ex.getMessage()));
    }

    @Override
    public Map<String, Object> getMetrics() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backend", NAME);
        m.put("endpoint", endpoint);
        m.put("endpointSource", settings.endpointSource());
        m.put("compression", settings.gzip() ? "gzip" : "none");
        m.put("serviceName", settings.resource().get("service.name"));
        m.put("headers", List.copyOf(settings.headers().keySet()));
        requestStats.putInto(m);
        m.put("rejected", rejected.get());
        m.put("recordsSent", recordsSent.get());
        m.put("maxRetries", settings.maxRetries());
        return m;
    }

    @Override
    public String toString() {
        return "OtlpBackend[endpoint=" + endpoint + ", headers=" + settings.headers().keySet() + " (values masked)]";
    }

    /**
     * {@code ExportLogsServiceResponse.partial_success}: how many records the collector rejected, and why. Field 1
     * of the response is the partial success, whose field 1 is {@code rejected_log_records} (an int64) and field
     * 2 {@code error_message}. Read here with a few lines rather than the exporter's {@code CodedInputStream}:
     * that reader has no 64-bit varint, so a count beyond 32 bits wrapped and a negative one read as 4 billion.
     */
    record PartialSuccess(long rejected, String message) {

        static @Nullable PartialSuccess parse(byte[] body) {
            try {
                Fields response = new Fields(body, 0, body.length);
                PartialSuccess found = null;
                while (response.hasMore()) {
                    long key = response.varint();
                    if (key == (1 << 3 | 2)) {
                        found = partialSuccess(response.message());
                    }
                    else {
                        response.skip(key);
                    }
                }
                return found;
            }
            catch (IllegalStateException ex) {
                // Not a protobuf answer (a proxy's text, JSON): the request was accepted, nothing more is known.
                return null;
            }
        }

        private static PartialSuccess partialSuccess(Fields fields) {
            long rejected = 0;
            String message = "";
            while (fields.hasMore()) {
                long key = fields.varint();
                if (key == (1 << 3)) {
                    rejected = fields.varint(); // int64: two's complement, so a negative count stays negative
                }
                else if (key == (2 << 3 | 2)) {
                    Fields text = fields.message();
                    message = new String(text.bytes, text.position, text.end - text.position, StandardCharsets.UTF_8);
                }
                else {
                    fields.skip(key);
                }
            }
            return new PartialSuccess(rejected, message);
        }
    }

    /** The fields of one protobuf message in {@code bytes[position, end)}; malformed input throws. */
    private static final class Fields {

        final byte[] bytes;
        int position;
        final int end;

        Fields(byte[] bytes, int position, int end) {
            this.bytes = bytes;
            this.position = position;
            this.end = end;
        }

        boolean hasMore() {
            return position < end;
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (position >= end) {
                    throw new IllegalStateException("truncated varint");
                }
                byte b = bytes[position++];
                value |= (long) (b & 0x7f) << shift;
                if (b >= 0) {
                    return value;
                }
            }
            throw new IllegalStateException("malformed varint");
        }

        /** A length-delimited field's content, skipped here. */
        Fields message() {
            long length = varint();
            if (length < 0 || length > end - position) {
                throw new IllegalStateException("bad length");
            }
            Fields inner = new Fields(bytes, position, position + (int) length);
            position += (int) length;
            return inner;
        }

        void skip(long key) {
            switch ((int) (key & 7)) {
                case 0 -> varint();
                case 1 -> advance(8);
                case 2 -> message();
                case 5 -> advance(4);
                default -> throw new IllegalStateException("unsupported wire type"); // groups: not an OTLP answer
            }
        }

        private void advance(int count) {
            if (count > end - position) {
                throw new IllegalStateException("truncated field");
            }
            position += count;
        }
    }
}
