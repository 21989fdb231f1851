package io.persistencelog.autoconfigure;

import io.persistencelog.LogLevel;
import io.persistencelog.capture.CaptureSettings;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Capture of the application's own SLF4J/Logback logging.
 *
 * @param enabled Whether the application's SLF4J/Logback events are persisted too (needs Logback as the
 *     SLF4J backend); AppLogger calls are persisted either way
 * @param minLevel Lowest level of captured SLF4J/Logback events
 * @param excludeLoggers Logger name prefixes whose events are never captured, each matching the logger of that
 *     name and its children; replaces the defaults (the HTTP and Kafka clients that backends use, as each
 *     backend's provider names them), so keep
 *     them when adding your own. The library's own loggers and the pipeline's threads are always excluded
 */
@ConfigurationProperties("log-persistence.capture")
public record CaptureProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("INFO") LogLevel minLevel,
        @Nullable List<String> excludeLoggers) {

    /** The list as set, else the libraries every backend's provider names. */
    @Override
    public List<String> excludeLoggers() {
        List<String> set = excludeLoggers;
        return set != null ? set : CaptureSettings.DEFAULT_EXCLUDED_LOGGERS;
    }

    CaptureSettings toSettings() {
        return new CaptureSettings(minLevel, excludeLoggers());
    }

    /** The list as set, else {@code defaults}: the libraries of this application's providers, beans included. */
    CaptureSettings toSettings(List<String> defaults) {
        List<String> set = excludeLoggers;
        return new CaptureSettings(minLevel, set != null ? set : defaults);
    }
}
