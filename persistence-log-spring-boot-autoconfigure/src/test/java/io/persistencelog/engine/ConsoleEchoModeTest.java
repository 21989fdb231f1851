package io.persistencelog.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@code log-persistence.console-echo} outside Spring (system property or LOG_PERSISTENCE_CONSOLE_ECHO). */
class ConsoleEchoModeTest {

    @Test
    void defaultIsAsyncAndValuesIgnoreCase() {
        assertThat(ConsoleEchoMode.parse(null, ConsoleEchoMode.PROPERTY)).isEqualTo(ConsoleEchoMode.ASYNC);
        assertThat(ConsoleEchoMode.parse("  ", ConsoleEchoMode.PROPERTY)).isEqualTo(ConsoleEchoMode.ASYNC);
        assertThat(ConsoleEchoMode.parse(" Sync ", ConsoleEchoMode.PROPERTY)).isEqualTo(ConsoleEchoMode.SYNC);
        assertThat(ConsoleEchoMode.parse("OFF", ConsoleEchoMode.PROPERTY)).isEqualTo(ConsoleEchoMode.OFF);
    }

    @Test
    void anUnknownValueNamesThePropertyAndTheChoices() {
        assertThatThrownBy(() -> ConsoleEchoMode.parse("later", ConsoleEchoMode.PROPERTY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("log-persistence.console-echo")
                .hasMessageContaining("'later'")
                .hasMessageContaining("async, sync, off");
    }

    @Test
    void theEnvironmentVariableIsReadInItsRelaxedForm() {
        var env = io.persistencelog.testing.TestSettings.source(java.util.Map.of(),
                java.util.Map.of("LOG_PERSISTENCE_CONSOLE_ECHO", "sync"));
        assertThat(env.bind("log-persistence", io.persistencelog.config.ConsoleEchoProperties.class).consoleEcho())
                .isEqualTo(ConsoleEchoMode.SYNC);
    }
}
