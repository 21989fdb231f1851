package io.persistencelog;

import io.micrometer.core.instrument.MeterRegistry;
import io.persistencelog.codec.JsonLineEncoder;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the pipeline shares with every backend a {@link LogBackendProvider} builds: the clock, the encoder
 * and {@code log-persistence.max-value-length}, the secrets masker, the {@code MeterRegistry} when there is
 * one, and read access to settings outside the backend's own prefix (a vendor's own variable such as
 * {@code DD_API_KEY}, or {@code spring.application.name}). It is the same in a Spring application and in a
 * plain {@code main}; only where the values come from differs.
 */
public interface BackendContext {

    /** The clock of the pipeline (a {@code Clock} bean when the application has one). */
    Clock clock();

    /** {@code log-persistence.max-value-length}: the longest string value a backend writes. */
    int maxValueLength();

    /** {@code log-persistence.shutdown-timeout}: how long stopping waits; a backend's close stays within it. */
    Duration shutdownTimeout();

    /**
     * A new JSON line encoder honouring {@link #maxValueLength()}. Encoders keep per-instance buffers, so a
     * backend keeps its own and uses it from its lane thread only.
     */
    JsonLineEncoder encoder();

    /**
     * Registers a secret (an API key, a webhook URL) so that it is masked wherever an error text is shown:
     * the endpoint, metrics tags, stderr, exceptions. Values shorter than four characters are ignored.
     */
    void registerSecret(@Nullable String secret);

    /** The text with every registered secret replaced by {@code ******}. */
    String mask(String text);

    /** The application's Micrometer registry, when Micrometer is present and the application has one. */
    Optional<MeterRegistry> meterRegistry();

    /**
     * A single setting outside the backend's prefix, read by exact name from the same sources as the
     * backend's settings (system properties, environment variables, and in Spring the {@code Environment});
     * null when unset or blank. For fallbacks such as {@code DD_API_KEY} and for foreign properties such as
     * {@code spring.application.name}.
     */
    @Nullable String property(String name);

    /** A list property (comma-separated or indexed, e.g. {@code spring.kafka.bootstrap-servers}); empty when unset. */
    List<String> listProperty(String name);

    /**
     * The entries under a prefix as a map (e.g. {@code spring.kafka.producer.properties}), keys as written
     * after the prefix; empty when none.
     */
    Map<String, String> mapProperty(String prefix);
}
