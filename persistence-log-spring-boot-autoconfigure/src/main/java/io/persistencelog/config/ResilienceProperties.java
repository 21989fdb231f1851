package io.persistencelog.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Fault handling of every backend's lane (Resilience4j retry and circuit breaker).
 *
 * @param retryAttempts Attempts per batch, 1 meaning no retry; backends that retry themselves (datadog, slack,
 *     kafka) are not retried again
 * @param retryBackoff Wait before the first retry of a failed batch; doubled for each further retry
 * @param circuitEnabled Whether a backend whose batches keep failing is paused, probed and resumed
 * @param failuresToOpen Consecutive failed batches after which a backend is paused
 * @param pauseInitial First pause of a failing backend; doubled after every failed probe
 * @param pauseMax Longest pause of a failing backend
 */
@ConfigurationProperties(ResilienceProperties.PREFIX)
public record ResilienceProperties(@DefaultValue("2") int retryAttempts, @DefaultValue("200ms") Duration retryBackoff,
        @DefaultValue("true") boolean circuitEnabled, @DefaultValue("5") int failuresToOpen,
        @DefaultValue("1s") Duration pauseInitial, @DefaultValue("1m") Duration pauseMax) {

    public static final String PREFIX = "log-persistence.resilience";
}
