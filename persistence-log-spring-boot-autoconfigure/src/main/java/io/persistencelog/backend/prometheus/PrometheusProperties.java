package io.persistencelog.backend.prometheus;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Prometheus backend ({@code prometheus}): log entries counted in Micrometer counters
 * (logpersistence.log.entries and logpersistence.log.errors) tagged by level and logger, the logger tag kept
 * to a bounded number of values.
 *
 * @param maxLoggers Loggers, beyond the allow-list, that get their own logger tag, in the order they are
 *     first seen; the rest are counted under logger="other". 0 tags only the allow-list
 * @param loggers Allow-list of logger names or package prefixes (com.acme or com.acme.*) that always get
 *     their own logger tag; the most specific matching entry becomes the tag value
 */
@ConfigurationProperties(PrometheusProperties.PREFIX)
public record PrometheusProperties(@DefaultValue("100") int maxLoggers, @DefaultValue List<String> loggers) {

    public static final String PREFIX = "log-persistence.prometheus";

    public PrometheusProperties {
        if (maxLoggers < 0) {
            throw new IllegalArgumentException("log-persistence.prometheus.max-loggers must be 0 or more but was "
                    + maxLoggers);
        }
        List<String> cleaned = new ArrayList<>();
        for (String entry : loggers) {
            String name = entry.trim();
            if (name.endsWith(".*")) {
                name = name.substring(0, name.length() - 2);
            }
            if (!name.isEmpty() && !cleaned.contains(name)) {
                cleaned.add(name);
            }
        }
        loggers = List.copyOf(cleaned);
    }

    /** Every default: the binding of an empty configuration. */
    public static PrometheusProperties defaults() {
        return new org.springframework.boot.context.properties.bind.Binder().bindOrCreate(PREFIX,
                PrometheusProperties.class);
    }
}
