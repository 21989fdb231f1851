package io.persistencelog.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.persistencelog.engine.AsyncPersistencePipeline;
import io.persistencelog.engine.ConsoleEchoMode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code log-persistence.console-echo}: async by default, sync and off on request, a typo fails start-up. */
class ConsoleEchoAutoConfigurationTests {

    @TempDir
    Path dir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LogPersistenceAutoConfiguration.class))
                .withPropertyValues("log-persistence.file.directory=" + dir);
    }

    @Test
    void theDefaultIsTheAsynchronousEcho() {
        runner().run(context -> {
            AsyncPersistencePipeline pipeline = context.getBean(AsyncPersistencePipeline.class);
            assertThat(pipeline.consoleEcho()).isEqualTo(ConsoleEchoMode.ASYNC);
            assertThat(pipeline.getMetrics()).containsEntry("consoleEcho", "async").containsEntry("consoleEchoSkipped",
                    0L);
        });
    }

    @Test
    void syncAndOffAreSelectable() {
        runner().withPropertyValues("log-persistence.console-echo=sync").run(context ->
                assertThat(context.getBean(AsyncPersistencePipeline.class).consoleEcho())
                        .isEqualTo(ConsoleEchoMode.SYNC));
        runner().withPropertyValues("log-persistence.console-echo=OFF").run(context ->
                assertThat(context.getBean(AsyncPersistencePipeline.class).consoleEcho())
                        .isEqualTo(ConsoleEchoMode.OFF));
    }

    @Test
    void anUnknownModeFailsStartupNamingTheProperty() {
        runner().withPropertyValues("log-persistence.console-echo=sometimes").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("sometimes");
            assertThat(context.getStartupFailure()).hasMessageContaining("log-persistence");
        });
    }
}
