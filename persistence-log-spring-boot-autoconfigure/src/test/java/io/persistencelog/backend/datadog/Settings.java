package io.persistencelog.backend.datadog;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/** Datadog settings for tests: a recognisable fake key, the fake intake, short waits. */
final class Settings {

    static final String API_KEY = "dd-test-key-7f3a9c1e5b2d4f60";

    private Settings() {
    }

    static DatadogSettings.Builder forIntake(URI url) {
        return DatadogSettings.builder(API_KEY)
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
}
