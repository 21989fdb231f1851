package io.persistencelog.autoconfigure;

import io.persistencelog.backend.prometheus.PrometheusSettings;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Configuration of the {@code prometheus} backend: log entries counted in Micrometer counters
 * (logpersistence.log.entries and logpersistence.log.errors) tagged by level and logger.
 *
 * @param maxLoggers Loggers, beyond the allow-list, that get their own logger tag, in the order they are
 *     first seen; the rest are counted under logger="other". 0 tags only the allow-list
 * @param loggers Allow-list of logger names or package prefixes (com.acme or com.acme.*) that always get
 *     their own logger tag; the most specific matching entry becomes the tag value
 */
@ConfigurationProperties("log-persistence.prometheus")
public record PrometheusProperties(
        @DefaultValue("100") int maxLoggers,
        @DefaultValue List<String> loggers) {

    PrometheusSettings toSettings() {
        return new PrometheusSettings(maxLoggers, loggers);
    }
}
