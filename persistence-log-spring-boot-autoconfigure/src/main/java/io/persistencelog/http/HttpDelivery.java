package io.persistencelog.http;

import io.github.resilience4j.core.IntervalFunction;
import io.persistencelog.codec.SafeText;
import io.persistencelog.codec.Secrets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;

// Longer than 350 lines on purpose: it is the single HTTP retry layer (deadline, interrupt, status classes, server waits, back-off,
// pacing) and the types the backends see (Answer, Outcome, Builder); splitting it would scatter one policy.
/**
 * Delivers one HTTP request for a network backend, with retries: the one HTTP retry layer.
 *
 * <p>Where retries live (one layer per concern):
 * <ul>
 * <li>Here, for network backends: a request that got no answer, 408, 429 or 5xx is sent again after the
 * server's {@code Retry-After} / {@code X-RateLimit-Reset} ({@link ServerWait}) or else an exponential
 * back-off from Resilience4j's {@link IntervalFunction} with "equal jitter" (a random wait between half of
 * and the full interval), every wait capped. A 2xx settles the request; it is never sent twice. Backends
 * that use this class say {@code retriesInternally() = true}.</li>
 * <li>The engine's backend guard retries whole batches of backends that do not retry themselves (files,
 * Kafka's own producer retries aside), and its circuit breaker pauses any backend that keeps failing.</li>
 * <li>The spool keeps entries that failed anyway, for backends that opt in.</li>
 * </ul>
 *
 * <p>Interruption is the lane's shutdown signal: a request already on the wire is still awaited (abandoning
 * it could deliver it twice), but no further attempt is made, and the thread's interrupt flag is restored
 * before {@link #deliver} returns.
 *
 * <p>One instance belongs to one backend and is used from its lane thread only (it remembers when the
 * previous request ended, for {@link Builder#minInterval(Duration)}).
 */
public final class HttpDelivery {

    /**
     * Loggers of the JDK's HTTP client: its events are about the backend's own requests, so capturing them
     * would feed every write back into the pipeline. Network backends list them as capture exclusions.
     */
    public static final List<String> CLIENT_LOGGERS = List.of("jdk.internal.httpclient", "jdk.httpclient",
            "java.net.http", "okhttp3");

    /** Statuses that mean "credentials refused" unless a backend names others. */
    public static final Set<Integer> DEFAULT_AUTH_STATUSES = Set.of(401, 403);

    /** Far beyond any real wait, and still countable in nanoseconds from any {@code System.nanoTime()}. */
    private static final Duration LONGEST_DEADLINE = Duration.ofNanos(Long.MAX_VALUE / 2);

    private final HttpClient client;
    private final Duration deadline;
    private final int maxRetries;
    private final IntervalFunction backoff;
    private final DoubleSupplier jitter;
    private final Duration maxWait;
    private final @Nullable Duration rateLimitWait;
    private final Duration minInterval;
    private final Set<Integer> authStatuses;
    private final Sleeper sleeper;
    private final Clock clock;
    private final int snippetChars;

    /** Touched by the lane thread only. */
    private long lastRequestEndNanos;
    private boolean requestedBefore;
    /** The raw body of the last answer, for {@link Listener#onResponseBody}. */
    private byte[] lastBody = new byte[0];

    private HttpDelivery(Builder b) {
        this.client = b.client;
        this.deadline = b.deadline;
        this.maxRetries = b.maxRetries;
        Duration initial = b.backoff.compareTo(b.maxWait) > 0 ? b.maxWait : b.backoff;
        // Resilience4j requires at least 1 ms; a zero back-off (tests, "retry at once") becomes 1 ms.
        this.backoff = IntervalFunction.ofExponentialBackoff(Math.max(1, initial.toMillis()), 2.0,
                Math.max(1, b.maxWait.toMillis()));
        this.jitter = b.jitter;
        this.maxWait = b.maxWait;
        this.rateLimitWait = b.rateLimitWait;
        this.minInterval = b.minInterval;
        this.authStatuses = Set.copyOf(b.authStatuses);
        this.sleeper = b.sleeper;
        this.clock = b.clock;
        this.snippetChars = b.snippetChars;
    }

    public static Builder builder(HttpClient client) {
        return new Builder(client);
    }

    /** What the lane waits with between attempts; false when it was interrupted. */
    @FunctionalInterface
    public interface Sleeper {
        boolean sleep(Duration duration);
    }

    /** Hooks a backend uses to stop early, count and describe attempts. All are called on the lane thread. */
    public interface Listener {

        /** Before each attempt (0 = the first): a reason not to send (e.g. the backend was closed), or null. */
        default @Nullable String beforeAttempt(int attempt) {
            return null;
        }

        /** After each attempt, with its answer. */
        default void onAnswer(Answer answer) {
        }

        /**
         * After each attempt that got an answer, before {@link #onAnswer}, with the whole raw body (a binary
         * protocol such as OTLP reads its verdict from it; {@link Answer#body()} is only a printable snippet).
         */
        default void onResponseBody(Answer answer, byte[] body) {
        }

        /** Before waiting {@code wait} for retry number {@code retry} (1 = the first retry). */
        default void onRetry(Answer answer, int retry, Duration wait) {
        }
    }

    /**
     * One attempt's answer.
     *
     * @param status the HTTP status, 0 when no answer came
     * @param verdict what the status means
     * @param body the start of the answer's body, printable, cut and masked ({@code ""} when none)
     * @param serverWait what the server asked to wait, or null
     * @param transportFailure why no answer came (masked), or null when one came
     * @param timedOut whether no answer came within the deadline
     */
    public record Answer(int status, HttpVerdict verdict, String body, @Nullable Duration serverWait,
            @Nullable String transportFailure, boolean timedOut) {

        /** {@code HTTP 503: body} or the transport failure, masked. */
        public String describe() {
            if (status == 0) {
                return Objects.requireNonNullElse(transportFailure, "no answer");
            }
            return Secrets.mask("HTTP " + status + (body.isEmpty() ? "" : ": " + body));
        }
    }

    /** How a delivery ended. */
    public enum Result {
        /** A 2xx answer. */
        DELIVERED,
        /** A status retrying cannot fix ({@link HttpVerdict#PERMANENT}); not retried. */
        REFUSED,
        /** Credentials refused ({@link HttpVerdict#AUTH}); not retried. */
        AUTH_REFUSED,
        /** Still failing after {@code maxRetries} retries. */
        GAVE_UP,
        /** A retry was abandoned because the lane was interrupted (shutdown gave up on it). */
        INTERRUPTED,
        /** {@link Listener#beforeAttempt(int)} gave a reason not to send. */
        STOPPED
    }

    /**
     * The end of one delivery.
     *
     * @param result how it ended
     * @param last the last answer, null when no attempt was made ({@link Result#STOPPED} before the first)
     * @param attempts requests sent
     * @param interrupted whether the lane was interrupted during the delivery
     * @param stopReason the reason {@link Listener#beforeAttempt(int)} gave, when {@link Result#STOPPED}
     */
    public record Outcome(Result result, @Nullable Answer last, int attempts, boolean interrupted,
            @Nullable String stopReason) {

        public boolean delivered() {
            return result == Result.DELIVERED;
        }

        /** Retries made: attempts after the first. */
        public int retries() {
            return Math.max(0, attempts - 1);
        }
    }

    /** Sends {@code request} until it is delivered, refused, retries run out, or the lane is interrupted. */
    public Outcome deliver(HttpRequest request, Listener listener) {
        Interruption interruption = new Interruption();
        try {
            return deliver(request, listener, interruption);
        }
        finally {
            if (interruption.happened) {
                Thread.currentThread().interrupt(); // the lane's shutdown signal stays the lane's
            }
        }
    }

    private Outcome deliver(HttpRequest request, Listener listener, Interruption interruption) {
        Answer last = null;
        for (int attempt = 0; ; attempt++) {
            String stop = listener.beforeAttempt(attempt);
            if (stop != null) {
                return new Outcome(Result.STOPPED, last, attempt, interruption.happened, stop);
            }
            pace(interruption);
            Answer answer;
            try {
                answer = send(request, interruption);
            }
            finally {
                lastRequestEndNanos = System.nanoTime();
                requestedBefore = true;
            }
            last = answer;
            if (answer.status() != 0) {
                listener.onResponseBody(answer, lastBody);
            }
            listener.onAnswer(answer);
            int sent = attempt + 1;
            switch (answer.verdict()) {
                case SUCCESS -> {
                    return new Outcome(Result.DELIVERED, answer, sent, interruption.happened, null);
                }
                case PERMANENT -> {
                    return new Outcome(Result.REFUSED, answer, sent, interruption.happened, null);
                }
                case AUTH -> {
                    return new Outcome(Result.AUTH_REFUSED, answer, sent, interruption.happened, null);
                }
                case RETRYABLE -> {
                    // handled below
                }
            }
            if (interruption.happened) {
                return new Outcome(Result.INTERRUPTED, answer, sent, true, null);
            }
            if (attempt >= maxRetries) {
                return new Outcome(Result.GAVE_UP, answer, sent, false, null);
            }
            Duration wait = waitBefore(attempt + 1, answer);
            listener.onRetry(answer, attempt + 1, wait);
            if (!sleeper.sleep(wait)) {
                interruption.happened = true;
                return new Outcome(Result.INTERRUPTED, answer, sent, true, null);
            }
        }
    }

    /** The wait before retry number {@code retry}: the server's, else the back-off with jitter; capped. */
    Duration waitBefore(int retry, Answer answer) {
        Duration wait = answer.serverWait();
        if (wait == null && answer.status() == 429) {
            wait = rateLimitWait;
        }
        if (wait == null) {
            long base = Math.min(backoff.apply(retry), maxWait.toMillis());
            double r = Math.min(1.0, Math.max(0.0, jitter.getAsDouble()));
            long half = base / 2;
            wait = Duration.ofMillis(half + (long) (r * (base - half)));
        }
        if (wait.isNegative()) {
            return Duration.ZERO;
        }
        return wait.compareTo(maxWait) > 0 ? maxWait : wait;
    }

    private Answer send(HttpRequest request, Interruption interruption) {
        CompletableFuture<HttpResponse<byte[]>> future = client.sendAsync(request,
                HttpResponse.BodyHandlers.ofByteArray());
        // The request's own timeout covers the answer's headers; this bound also covers connecting and the body.
        // Saturated: a deadline beyond ~292 years ("as long as it takes") cannot be counted in nanoseconds.
        long deadlineNanos = System.nanoTime()
                + (deadline.compareTo(LONGEST_DEADLINE) > 0 ? LONGEST_DEADLINE : deadline).toNanos();
        while (true) {
            try {
                HttpResponse<byte[]> response = future.get(Math.max(0, deadlineNanos - System.nanoTime()),
                        TimeUnit.NANOSECONDS);
                int status = response.statusCode();
                lastBody = response.body() == null ? new byte[0] : response.body();
                return new Answer(status, HttpVerdict.of(status, authStatuses), snippet(response.body()),
                        ServerWait.of(status, name -> response.headers().firstValue(name), clock.instant()), null,
                        false);
            }
            catch (InterruptedException ex) {
                // A request on the wire is awaited, not abandoned: abandoning it could deliver it twice.
                interruption.happened = true;
            }
            catch (ExecutionException ex) {
                Throwable cause = ex.getCause() == null ? ex : ex.getCause();
                // The JDK client may quote the URI (a secret webhook) in its messages: masked before anyone sees it.
                return new Answer(0, HttpVerdict.RETRYABLE, "", null, Secrets.mask(cause.getClass().getSimpleName()
                        + ": " + SafeText.toText(cause.getMessage())), false);
            }
            catch (TimeoutException ex) {
                future.cancel(true);
                return new Answer(0, HttpVerdict.RETRYABLE, "", null, "no answer within " + deadline, true);
            }
        }
    }

    /** Waits until {@code minInterval} has passed since the previous request ended; a shutdown does not cut it. */
    private void pace(Interruption interruption) {
        if (!requestedBefore || minInterval.isZero()) {
            return;
        }
        long wait = lastRequestEndNanos + minInterval.toNanos() - System.nanoTime();
        while (wait > 0) {
            LockSupport.parkNanos(wait);
            if (Thread.interrupted()) {
                interruption.happened = true;
            }
            wait = lastRequestEndNanos + minInterval.toNanos() - System.nanoTime();
        }
    }

    /** The start of an answer's body on one printable line, cut and masked. */
    public String snippet(byte @Nullable [] body) {
        return snippet(body, snippetChars);
    }

    /** The start of an answer's body on one printable line, at most {@code maxChars} (then {@code ...}), masked. */
    public static String snippet(byte @Nullable [] body, int maxChars) {
        if (body == null || body.length == 0) {
            return "";
        }
        String text = new String(body, 0, Math.min(body.length, maxChars * 4), StandardCharsets.UTF_8);
        StringBuilder clean = new StringBuilder(Math.min(text.length(), maxChars + 3));
        boolean space = false;
        for (int i = 0; i < text.length() && clean.length() <= maxChars; ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isWhitespace(cp) || Character.isISOControl(cp)) {
                space = clean.length() > 0;
                continue;
            }
            if (space) {
                clean.append(' ');
                space = false;
            }
            clean.appendCodePoint(cp);
        }
        String result = clean.length() > maxChars ? clean.substring(0, maxChars) + "..." : clean.toString();
        return Secrets.mask(result);
    }

    /** Sleeps, returning false (with the interrupt consumed) when the lane was interrupted. */
    public static boolean sleepInterruptibly(Duration duration) {
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

    private static final class Interruption {
        boolean happened;
    }

    /** Settings of one backend's delivery. */
    public static final class Builder {

        private final HttpClient client;
        private Duration deadline = Duration.ofSeconds(11);
        private int maxRetries = 3;
        private Duration backoff = Duration.ofMillis(500);
        private Duration maxWait = Duration.ofSeconds(30);
        private DoubleSupplier jitter = () -> ThreadLocalRandom.current().nextDouble();
        private @Nullable Duration rateLimitWait;
        private Duration minInterval = Duration.ZERO;
        private Set<Integer> authStatuses = DEFAULT_AUTH_STATUSES;
        private Sleeper sleeper = HttpDelivery::sleepInterruptibly;
        private Clock clock = Clock.systemUTC();
        private int snippetChars = 200;

        private Builder(HttpClient client) {
            this.client = client;
        }

        /** Longest wait for one answer, body included (the request's own timeout plus connecting, plus slack). */
        public Builder deadline(Duration value) {
            this.deadline = value;
            return this;
        }

        /** Retries after the first attempt; 0 never retries. */
        public Builder maxRetries(int value) {
            this.maxRetries = value;
            return this;
        }

        /** Wait before the first retry, doubled for each further one (Resilience4j exponential back-off). */
        public Builder backoff(Duration value) {
            this.backoff = value;
            return this;
        }

        /** Longest wait between two attempts; also caps a server's {@code Retry-After}. */
        public Builder maxWait(Duration value) {
            this.maxWait = value;
            return this;
        }

        /**
         * Source of jitter in [0, 1]: each back-off wait is between half of (0) and the full (1) interval.
         * {@code () -> 1.0} turns jitter off.
         */
        public Builder jitter(DoubleSupplier value) {
            this.jitter = value;
            return this;
        }

        /** Wait after a 429 that names none; unset, such a 429 waits like any other failure. */
        public Builder rateLimitWait(@Nullable Duration value) {
            this.rateLimitWait = value;
            return this;
        }

        /** Least time from the end of one request to the start of the next (a vendor's rate limit). */
        public Builder minInterval(Duration value) {
            this.minInterval = value;
            return this;
        }

        /** Statuses that mean the credentials were refused ({@link HttpVerdict#AUTH}). */
        public Builder authStatuses(Set<Integer> value) {
            this.authStatuses = value;
            return this;
        }

        /** How the lane waits between attempts (tests record the waits instead). */
        public Builder sleeper(Sleeper value) {
            this.sleeper = value;
            return this;
        }

        /** Clock for HTTP-date {@code Retry-After} values. */
        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        /** Most characters of an answer's body kept in failure reasons. */
        public Builder snippetChars(int value) {
            this.snippetChars = value;
            return this;
        }

        public HttpDelivery build() {
            if (maxRetries < 0) {
                throw new IllegalArgumentException("maxRetries must not be negative but was " + maxRetries);
            }
            return new HttpDelivery(this);
        }
    }
}
