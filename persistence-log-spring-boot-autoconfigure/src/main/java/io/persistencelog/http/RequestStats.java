package io.persistencelog.http;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The request figures every HTTP backend shows in its metrics, under the same names: requests answered (or
 * not), retries, failed requests, the last status, the last rejection and the bytes delivered. The backend's
 * {@link HttpDelivery.Listener} feeds the first two, its outcome handling the rest.
 */
public final class RequestStats {

    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong failedRequests = new AtomicLong();
    private final AtomicLong bytesSent = new AtomicLong();
    private volatile int lastStatus;
    private volatile @Nullable String lastRejection;

    /** An attempt ended, with a status or without one (timeout, connection failure). */
    public void answered(HttpDelivery.Answer answer) {
        requests.incrementAndGet();
        if (answer.status() != 0) {
            lastStatus = answer.status();
        }
    }

    public void retried() {
        retries.incrementAndGet();
    }

    /** A request was given up, refused or interrupted: its entries were not delivered. */
    public void failed() {
        failedRequests.incrementAndGet();
    }

    public void delivered(int bodyBytes) {
        bytesSent.addAndGet(bodyBytes);
    }

    /** Why the server last refused entries for good; already masked by the caller. */
    public void rejected(String why) {
        lastRejection = why;
    }

    public long bytesSent() {
        return bytesSent.get();
    }

    /**
     * Adds {@code requests}, {@code retries}, {@code failedRequests}, {@code lastStatus}, {@code lastRejection}
     * and {@code bytesSent}.
     */
    public void putInto(Map<String, Object> metrics) {
        metrics.put("requests", requests.get());
        metrics.put("retries", retries.get());
        metrics.put("failedRequests", failedRequests.get());
        int status = lastStatus;
        metrics.put("lastStatus", status == 0 ? null : status);
        metrics.put("lastRejection", lastRejection);
        metrics.put("bytesSent", bytesSent.get());
    }
}
