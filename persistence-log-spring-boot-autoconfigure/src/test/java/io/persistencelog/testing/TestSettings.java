package io.persistencelog.testing;

import io.persistencelog.BackendContext;
import io.persistencelog.config.LogPersistenceProperties;
import io.persistencelog.config.PipelineAssembly;
import io.persistencelog.config.SettingsSource;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertiesPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Settings as a plain {@code main} sees them, without touching this JVM's: given system properties and
 * environment variables in a {@link StandardEnvironment} of their own, read through the production
 * {@link SettingsSource}.
 */
public final class TestSettings {

    private TestSettings() {
    }

    /** System properties and environment variables, in that precedence. */
    public static SettingsSource source(Map<String, String> systemProperties, Map<String, String> environment) {
        return SettingsSource.of(environment(systemProperties, environment));
    }

    public static StandardEnvironment environment(Map<String, String> systemProperties,
            Map<String, String> environment) {
        StandardEnvironment env = new StandardEnvironment();
        MutablePropertySources sources = env.getPropertySources();
        Properties props = new Properties();
        props.putAll(systemProperties);
        sources.replace(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME,
                new PropertiesPropertySource(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME, props));
        sources.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        new LinkedHashMap<>(environment)));
        return env;
    }

    /** Only these properties, by their canonical names. */
    public static SettingsSource properties(Map<String, String> properties) {
        return source(properties, Map.of());
    }

    /** The settings of a running Spring context, read as the auto-configuration reads them. */
    public static <T> T bound(org.springframework.context.ApplicationContext context, String prefix, Class<T> type) {
        return SettingsSource.of(context.getEnvironment()).bind(prefix, type);
    }

    /** The context backends get from these settings (no meter registry). */
    public static BackendContext context(SettingsSource source) {
        LogPersistenceProperties core = source.bind(LogPersistenceProperties.PREFIX, LogPersistenceProperties.class);
        return PipelineAssembly.context(source, core, Clock.systemUTC(), Optional::empty);
    }
}
