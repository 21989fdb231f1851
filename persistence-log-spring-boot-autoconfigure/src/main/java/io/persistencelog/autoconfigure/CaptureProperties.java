package io.persistencelog.autoconfigure;

import io.persistencelog.LogLevel;
import io.persistencelog.capture.CaptureSettings;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Capture of the application's own SLF4J/Logback logging.
 *
 * @param enabled Whether the application's SLF4J/Logback events are persisted too (needs Logback as the
 *     SLF4J backend); AppLogger calls are persisted either way
 * @param minLevel Lowest level of captured SLF4J/Logback events
 * @param excludeLoggers Logger name prefixes whose events are never captured, each matching the logger of that
 *     name and its children; replaces the defaults (the HTTP and Kafka clients that backends use), so keep
 *     them when adding your own. The library's own loggers and the pipeline's threads are always excluded
 */
@ConfigurationProperties("log-persistence.capture")
public record CaptureProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("INFO") LogLevel minLevel,
        @DefaultValue({ "org.apache.kafka", "jdk.internal.httpclient", "jdk.httpclient", "java.net.http",
                "okhttp3" }) List<String> excludeLoggers) {

    CaptureSettings toSettings() {
        return new CaptureSettings(minLevel, excludeLoggers);
    }
}
