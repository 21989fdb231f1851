package io.persistencelog.backend.prometheus;

import io.persistencelog.engine.EnvironmentSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings of the Prometheus backend: how the {@code logger} tag is kept to a bounded number of values.
 *
 * @param maxLoggers loggers (beyond the allow-list) that get their own {@code logger} tag, in the order they
 *     are first seen; later ones are counted under {@code logger="other"}. 0 tags only the allow-list.
 * @param loggers allow-list of logger names or package prefixes ({@code com.acme} or {@code com.acme.*}
 *     covers {@code com.acme.Foo}) that always get their own tag: the most specific entry that matches
 *     becomes the tag value
 */
public record PrometheusSettings(int maxLoggers, List<String> loggers) {

    public static final int DEFAULT_MAX_LOGGERS = 100;

    public PrometheusSettings {
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

    public static PrometheusSettings defaults() {
        return new PrometheusSettings(DEFAULT_MAX_LOGGERS, List.of());
    }

    /** Settings outside Spring, from system properties or environment variables. */
    public static PrometheusSettings fromEnvironment(EnvironmentSettings env) {
        String list = env.get("log-persistence.prometheus.loggers", "");
        return new PrometheusSettings(env.getInt("log-persistence.prometheus.max-loggers", DEFAULT_MAX_LOGGERS),
                List.of(list.split(",")));
    }
}
