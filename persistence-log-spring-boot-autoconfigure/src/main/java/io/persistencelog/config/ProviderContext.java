package io.persistencelog.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.persistencelog.BackendContext;
import io.persistencelog.codec.JsonLineEncoder;
import io.persistencelog.codec.Secrets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** The {@link BackendContext} of both modes: the pipeline's settings and the same {@link SettingsSource}. */
final class ProviderContext implements BackendContext {

    private final SettingsSource source;
    private final Clock clock;
    private final int maxValueLength;
    private final Duration shutdownTimeout;
    /** Typed loosely so that this class loads without Micrometer on the classpath. */
    private final Supplier<Optional<?>> meterRegistry;

    ProviderContext(SettingsSource source, Clock clock, int maxValueLength, Duration shutdownTimeout,
            Supplier<Optional<?>> meterRegistry) {
        this.source = source;
        this.clock = clock;
        this.maxValueLength = maxValueLength;
        this.shutdownTimeout = shutdownTimeout;
        this.meterRegistry = meterRegistry;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public int maxValueLength() {
        return maxValueLength;
    }

    @Override
    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    @Override
    public JsonLineEncoder encoder() {
        return new JsonLineEncoder(maxValueLength);
    }

    @Override
    public void registerSecret(@Nullable String secret) {
        Secrets.register(secret);
    }

    @Override
    public String mask(String text) {
        return Secrets.mask(text);
    }

    @Override
    @SuppressWarnings({ "unchecked", "rawtypes" })
    public Optional<MeterRegistry> meterRegistry() {
        return (Optional) meterRegistry.get();
    }

    @Override
    public @Nullable String property(String name) {
        return source.property(name);
    }

    @Override
    public List<String> listProperty(String name) {
        return source.list(name);
    }

    @Override
    public Map<String, String> mapProperty(String prefix) {
        return source.map(prefix);
    }

    @Override
    public String toString() {
        return "BackendContext[maxValueLength=" + maxValueLength + ", shutdownTimeout=" + shutdownTimeout + "]";
    }
}
