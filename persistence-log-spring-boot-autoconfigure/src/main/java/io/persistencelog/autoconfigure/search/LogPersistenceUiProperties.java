package io.persistencelog.autoconfigure.search;

import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Explorer page over the weekly files (a servlet web application with actuator).
 *
 * @param enabled Whether to serve the explorer page; it reads the logsearch and logpersistence actuator
 *     endpoints, which must be exposed too
 * @param path Path of the explorer page, e.g. "/logpersistence"
 */
@ConfigurationProperties("log-persistence.ui")
public record LogPersistenceUiProperties(@DefaultValue("false") boolean enabled,
        @DefaultValue("/logpersistence") String path) {

    private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)+");

    public LogPersistenceUiProperties {
        if (!PATH.matcher(path).matches()) {
            throw new IllegalArgumentException("log-persistence.ui.path must be a path such as /logpersistence (starting "
                    + "with '/', letters, digits, '.', '_', '~', '-' and '/' only, no trailing '/') but was '" + path
                    + "'");
        }
    }
}
