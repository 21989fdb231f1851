/**
 * Shared HTTP delivery for network backends (Datadog, Slack, OpenTelemetry): one request with a deadline,
 * the status classified, the server's wait honoured, retries with Resilience4j back-off. See
 * {@link io.persistencelog.http.HttpDelivery} for where each retry layer lives.
 */
@NullMarked
package io.persistencelog.http;

import org.jspecify.annotations.NullMarked;
