package io.persistencelog.http;

import io.persistencelog.BatchLogBackend;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;

/**
 * The skeleton of a backend that sends batches over HTTP with {@link HttpDelivery}: it asks the lane for
 * batches of a size and a wait that suit one request, says that it retries by itself (the delivery does, so
 * the pipeline does not retry its batches a second time; the circuit breaker and the spool still apply).
 */
public abstract class HttpBackend extends BatchLogBackend {

    private static final Duration LONGEST_BATCH_WAIT = Duration.ofNanos(Long.MAX_VALUE / 2);

    /** The request figures, fed by the subclass's delivery listener and outcome handling. */
    protected final RequestStats requestStats = new RequestStats();

    private final int maxBatchSize;
    private final Duration maxBatchWait;
    private volatile boolean closed;

    protected HttpBackend(int maxBatchSize, Duration maxBatchWait) {
        this.maxBatchSize = maxBatchSize;
        // The lane counts the wait in nanoseconds: a configured "forever" beyond ~292 years would overflow there
        // and fail every batch; this is still forever.
        this.maxBatchWait = maxBatchWait.compareTo(LONGEST_BATCH_WAIT) > 0 ? LONGEST_BATCH_WAIT : maxBatchWait;
    }

    @Override
    public final boolean retriesInternally() {
        return true;
    }

    @Override
    public final int maxBatchSize() {
        return maxBatchSize;
    }

    @Override
    public final Duration maxBatchWait() {
        return maxBatchWait;
    }

    /**
     * Nothing is buffered between batches (each batch is sent before {@code writeBatch} returns), so closing
     * only stops the retries of a delivery still running: its listener's {@code beforeAttempt} sees
     * {@link #isClosed()}.
     */
    @Override
    public void close() {
        closed = true;
    }

    protected final boolean isClosed() {
        return closed;
    }

    /**
     * A client for one intake: redirects are never followed (a redirect would resend the credentials to another
     * host); h2 is negotiated over TLS, while plain http (a local agent, collector or proxy) stays on HTTP/1.1
     * without an upgrade attempt; the system's proxy settings apply.
     */
    protected static HttpClient newClient(URI target, Duration connectTimeout) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version("https".equalsIgnoreCase(target.getScheme()) ? HttpClient.Version.HTTP_2
                        : HttpClient.Version.HTTP_1_1);
        ProxySelector proxies = ProxySelector.getDefault();
        if (proxies != null) {
            builder.proxy(proxies);
        }
        return builder.build();
    }
}
