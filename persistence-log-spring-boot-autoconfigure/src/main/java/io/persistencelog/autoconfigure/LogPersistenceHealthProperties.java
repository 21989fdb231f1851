package io.persistencelog.autoconfigure;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * When the {@code logPersistence} health contributor reports DOWN.
 *
 * @param backendFailureThreshold How long a backend may fail every write before health is DOWN
 * @param queueFillRatio Fill ratio of the queue (0 to 1) above which the queue counts as backed up
 * @param queueFillDuration How long the queue may stay above the fill ratio before health is DOWN
 */
@ConfigurationProperties("log-persistence.health")
public record LogPersistenceHealthProperties(@DefaultValue("1m") Duration backendFailureThreshold,
        @DefaultValue("0.9") double queueFillRatio, @DefaultValue("30s") Duration queueFillDuration) {

    public LogPersistenceHealthProperties {
        if (queueFillRatio <= 0 || queueFillRatio > 1) {
            throw new IllegalArgumentException(
                    "log-persistence.health.queue-fill-ratio must be above 0 and at most 1 but was " + queueFillRatio);
        }
    }
}
