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

/**
 * The {@link BackendContext} of both modes: the pipeline's settings and the same {@link SettingsSource}.
 *
 * @param meterRegistries typed loosely so that this class loads without Micrometer on the classpath
 */
record ProviderContext(SettingsSource source, Clock clock, int maxValueLength, Duration shutdownTimeout,
        Supplier<Optional<?>> meterRegistries) implements BackendContext {

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
        return (Optional) meterRegistries.get();
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
