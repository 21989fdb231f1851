package io.persistencelog.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.core.convert.ConversionException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Where settings come from, read the same way in both modes: Spring Boot's {@link Binder} over an
 * {@link Environment}. A Spring application passes its own (application.yml, profiles, test properties
 * included); a plain {@code main} passes a {@link StandardEnvironment}, which holds exactly the system
 * properties and the environment variables, with Spring's relaxed names
 * ({@code LOG_PERSISTENCE_FILE_DIRECTORY} sets {@code log-persistence.file.directory}), durations, data sizes,
 * enums and lists. There is no second, hand-written reader.
 */
public final class SettingsSource {

    private final Environment environment;
    private final Binder binder;

    private SettingsSource(Environment environment) {
        this.environment = environment;
        this.binder = Binder.get(environment);
    }

    public static SettingsSource of(Environment environment) {
        return new SettingsSource(environment);
    }

    /** System properties and environment variables, as a plain {@code main} sees them. */
    public static SettingsSource system() {
        return new SettingsSource(new StandardEnvironment());
    }

    /**
     * The settings under {@code prefix}, with the type's defaults where nothing is set. A validation error
     * thrown by the type's constructor is passed on as it is (its message names the property and the fix);
     * a value that cannot be converted fails with Spring's message naming the property.
     */
    public <T> T bind(String prefix, Class<T> type) {
        try {
            return binder.bindOrCreate(prefix, Bindable.of(type));
        }
        catch (BindException ex) {
            for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof ConversionException) {
                    // The value could not be converted ('soon' for a duration): the converter's own text does
                    // not say which property held it, Spring's does; keep both, and the BindException as cause
                    // so Boot's failure analyzer still reports the value's origin.
                    throw new IllegalArgumentException(ex.getMessage() + ": " + reason(cause), ex);
                }
                if ((cause instanceof IllegalArgumentException || cause instanceof IllegalStateException)
                        && !cause.getClass().getName().startsWith("org.springframework")) {
                    // The settings type's own validation: its message names the property and the fix.
                    throw (RuntimeException) cause;
                }
                if (cause.getCause() == cause) {
                    break;
                }
            }
            throw ex;
        }
    }

    private static String reason(Throwable conversion) {
        Throwable reason = conversion;
        while (reason.getCause() != null && reason.getCause() != reason) {
            reason = reason.getCause();
        }
        return String.valueOf(reason == conversion ? conversion.getMessage() : reason.getMessage());
    }

    /** One value by exact name ({@code LOG_BACKENDS}, {@code DD_API_KEY}, {@code spring.application.name}); null when unset or blank. */
    public @Nullable String property(String name) {
        String value = environment.getProperty(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** A list (comma-separated or indexed); empty when unset. */
    public List<String> list(String name) {
        return binder.bind(name, Bindable.listOf(String.class)).orElse(List.of());
    }

    /**
     * The entries under a prefix as a map; empty when none. Spring's binder cannot bind environment variables
     * to a map below a dashed prefix ({@code LOG_PERSISTENCE_KAFKA_PRODUCER_LINGER_MS} for
     * {@code log-persistence.kafka.producer}), so those are read here: the rest of the variable's name, lower
     * case, {@code _} read as {@code .} (settings such as Kafka's hold only lower-case words and dots). Other
     * sources win over variables, as everywhere else.
     */
    public Map<String, String> map(String prefix) {
        Map<String, String> entries = new LinkedHashMap<>();
        if (prefix.indexOf('-') >= 0) {
            String variablePrefix = prefix.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_') + "_";
            for (PropertySource<?> source : sources()) {
                if (source instanceof SystemEnvironmentPropertySource variables) {
                    for (String name : variables.getPropertyNames()) {
                        Object value = variables.getProperty(name);
                        if (name.startsWith(variablePrefix) && name.length() > variablePrefix.length()
                                && value != null) {
                            entries.putIfAbsent(name.substring(variablePrefix.length()).toLowerCase(Locale.ROOT)
                                    .replace('_', '.'), value.toString());
                        }
                    }
                }
            }
        }
        entries.putAll(binder.bind(prefix, Bindable.mapOf(String.class, String.class)).orElse(Map.of()));
        return entries;
    }

    private Iterable<PropertySource<?>> sources() {
        return environment instanceof ConfigurableEnvironment configurable ? configurable.getPropertySources()
                : List.of();
    }
}
