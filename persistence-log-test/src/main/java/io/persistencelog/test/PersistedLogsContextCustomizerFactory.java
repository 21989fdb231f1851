package io.persistencelog.test;

import io.persistencelog.autoconfigure.LogPersistenceAutoConfiguration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Selects the in-memory backend for tests annotated with {@link AutoConfigurePersistedLogs}, in addition to
 * whatever {@code LOG_BACKENDS} or {@code log-persistence.backends} chose (read once the application's
 * configuration is loaded), so the application runs its real backends and the test sees the entries too.
 */
final class PersistedLogsContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
            List<ContextConfigurationAttributes> configAttributes) {
        boolean annotated = MergedAnnotations.from(testClass, SearchStrategy.TYPE_HIERARCHY)
                .isPresent(AutoConfigurePersistedLogs.class);
        return annotated ? new SelectMemoryBackend() : null;
    }

    static final class SelectMemoryBackend implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
            ConfigurableEnvironment env = context.getEnvironment();
            String chosen = env.getProperty(LogPersistenceAutoConfiguration.LOG_BACKENDS);
            if (chosen == null || chosen.isBlank()) {
                chosen = env.getProperty("log-persistence.backends", "file");
            }
            env.getPropertySources().addFirst(new MapPropertySource("persistedLogs",
                    Map.of(LogPersistenceAutoConfiguration.LOG_BACKENDS, chosen + "," + InMemoryLogBackend.NAME)));
        }

        @Override
        public boolean equals(@Nullable Object other) {
            return other instanceof SelectMemoryBackend;
        }

        @Override
        public int hashCode() {
            return SelectMemoryBackend.class.hashCode();
        }
    }
}
