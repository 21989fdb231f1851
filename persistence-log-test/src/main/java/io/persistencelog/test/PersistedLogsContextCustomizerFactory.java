package io.persistencelog.test;

import io.persistencelog.autoconfigure.LogPersistenceAutoConfiguration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Selects the in-memory backend for tests annotated with {@link AutoConfigurePersistedLogs}, in addition to
 * whatever {@code LOG_BACKENDS} or {@code log-persistence.backends} chose (read once the application's
 * configuration is loaded), so the application runs its real backends and the test sees the entries too.
 */
final class PersistedLogsContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
            List<ContextConfigurationAttributes> configAttributes) {
        // TestContextAnnotationUtils, not a plain type-hierarchy search: a JUnit @Nested class inherits the
        // annotation of its enclosing class (as @NestedTestConfiguration says), and so must the memory backend.
        boolean annotated = TestContextAnnotationUtils.hasAnnotation(testClass, AutoConfigurePersistedLogs.class);
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
