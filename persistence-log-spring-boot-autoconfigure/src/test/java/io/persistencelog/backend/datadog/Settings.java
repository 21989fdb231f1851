package io.persistencelog.backend.datadog;

import io.persistencelog.testing.TestSettings;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Datadog settings for tests: a recognisable fake key, the fake intake, short waits. Built the way the
 * application builds them: properties bound to {@link DatadogProperties}, then Datadog's fallbacks.
 */
final class Settings {

    static final String API_KEY = "dd-test-key-7f3a9c1e5b2d4f60";

    private Settings() {
    }

    static Builder builder(String apiKey) {
        return new Builder().set("api-key", apiKey);
    }

    static Builder forIntake(URI url) {
        return builder(API_KEY)
                .url(url)
                .service("orders")
                .source("java")
                .tags(List.of("env:test", "team:core"))
                .hostname("host-1")
                .connectTimeout(Duration.ofSeconds(2))
                .requestTimeout(Duration.ofSeconds(5))
                .maxRetries(5)
                .backoff(Duration.ofMillis(10))
                .maxBackoff(Duration.ofMillis(100))
                .batchWait(Duration.ofMillis(20));
    }

    /** Collects {@code log-persistence.datadog.*} properties. */
    static final class Builder {

        private final Map<String, String> properties = new LinkedHashMap<>();

        Builder set(String name, Object value) {
            properties.put(DatadogProperties.PREFIX + "." + name, String.valueOf(value));
            return this;
        }

        Builder site(String value) {
            return set("site", value);
        }

        Builder url(URI value) {
            return set("url", value);
        }

        Builder url(String value) {
            return set("url", value);
        }

        Builder service(String value) {
            return set("service", value);
        }

        Builder source(String value) {
            return set("source", value);
        }

        Builder tags(List<String> value) {
            return set("tags", String.join(",", value));
        }

        Builder hostname(String value) {
            return set("hostname", value);
        }

        Builder connectTimeout(Duration value) {
            return set("connect-timeout", value);
        }

        Builder requestTimeout(Duration value) {
            return set("request-timeout", value);
        }

        Builder maxRetries(int value) {
            return set("max-retries", value);
        }

        Builder backoff(Duration value) {
            return set("backoff", value);
        }

        Builder maxBackoff(Duration value) {
            return set("max-backoff", value);
        }

        Builder batchWait(Duration value) {
            return set("batch-wait", value);
        }

        Builder rejectedPause(Duration value) {
            return set("rejected-pause", value);
        }

        /** Bound and with the fallbacks applied (no Datadog variables set): fails like the application. */
        DatadogProperties build() {
            return TestSettings.properties(properties).bind(DatadogProperties.PREFIX, DatadogProperties.class)
                    .withFallbacks(name -> null);
        }

        @Override
        public String toString() {
            return "Settings.Builder" + properties.keySet();
        }
    }
}
