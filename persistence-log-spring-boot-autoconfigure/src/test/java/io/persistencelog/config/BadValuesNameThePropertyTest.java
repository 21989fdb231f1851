package io.persistencelog.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.persistencelog.autoconfigure.LogPersistenceAutoConfiguration;
import io.persistencelog.backend.datadog.DatadogProperties;
import io.persistencelog.backend.slack.SlackProperties;
import io.persistencelog.standalone.StandalonePipeline;
import io.persistencelog.testing.TestSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A value that cannot be converted (a duration, a data size or a number written wrongly) stops startup with
 * the property's name in both modes, not only with the converter's text ("'soon' is not a valid duration"),
 * which leaves a user searching every setting of every backend.
 */
class BadValuesNameThePropertyTest {

    @TempDir
    Path logs;

    @Test
    void aPlainMainNamesTheBackendPropertyWhoseValueCannotBeConverted() {
        SettingsSource source = TestSettings.source(Map.of(),
                Map.of("LOG_PERSISTENCE_DATADOG_REQUEST_TIMEOUT", "soon"));
        assertThatThrownBy(() -> source.bind("log-persistence.datadog", DatadogProperties.class))
                .hasMessageContaining("log-persistence.datadog.request-timeout").hasMessageContaining("soon");
    }

    @Test
    void aPlainMainNamesTheCorePropertyWhoseValueCannotBeConverted() {
        SettingsSource source = TestSettings.source(Map.of("log-persistence.queue.capacity", "lots"),
                Map.of("LOG_PERSISTENCE_FILE_DIRECTORY", logs.toString()));
        assertThatThrownBy(() -> StandalonePipeline.build(source,
                BackendProviders.load(getClass().getClassLoader()), Clock.systemUTC()))
                .hasMessageContaining("log-persistence.queue.capacity").hasMessageContaining("lots");
    }

    @Test
    void aSpringApplicationNamesTheBackendPropertyWhoseValueCannotBeConverted() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(LogPersistenceAutoConfiguration.class))
                .withPropertyValues("log-persistence.file.directory=" + logs, "log-persistence.backends=file,slack",
                        "log-persistence.slack.webhook-url=http://127.0.0.1:9/services/T0/B0/x",
                        "log-persistence.slack.burst-window=a while")
                .run(context -> assertThat(context.getStartupFailure()).isNotNull()
                        .hasStackTraceContaining("log-persistence.slack.burst-window"));
    }

    @Test
    void aValidationErrorOfTheSettingsConstructorIsPassedOnAsItIs() {
        SettingsSource source = TestSettings.source(Map.of("log-persistence.slack.top-messages", "0"), Map.of());
        assertThatThrownBy(() -> source.bind("log-persistence.slack", SlackProperties.class))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("log-persistence.slack.top-messages must be between 1 and");
    }
}
