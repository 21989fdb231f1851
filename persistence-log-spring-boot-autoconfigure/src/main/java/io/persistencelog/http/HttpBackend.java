package io.persistencelog.http;

import io.persistencelog.BatchLogBackend;
import java.time.Duration;

/**
 * The skeleton of a backend that sends batches over HTTP with {@link HttpDelivery}: it asks the lane for
 * batches of a size and a wait that suit one request, says that it retries by itself (the delivery does, so
 * the pipeline does not retry its batches a second time; the circuit breaker and the spool still apply).
 */
public abstract class HttpBackend extends BatchLogBackend {

    private final int maxBatchSize;
    private final Duration maxBatchWait;

    protected HttpBackend(int maxBatchSize, Duration maxBatchWait) {
        this.maxBatchSize = maxBatchSize;
        this.maxBatchWait = maxBatchWait;
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

}
