package io.persistencelog.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.persistencelog.AppLoggerFactory;
import io.persistencelog.LogLevel;
import io.persistencelog.codec.Redactor;
import io.persistencelog.codec.Secrets;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code AppLogger} calls made while a Spring application starts wait in the {@link StartupBuffer} and are
 * echoed on the caller's thread: the console line is masked with the application's redaction settings
 * ({@code redaction.field-patterns}), which the buffer already has, not with the defaults.
 */
class EchoBeforeThePipelineRunsTest {

    private ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private @Nullable ConsoleLines console;
    private final StartupBuffer buffer = new StartupBuffer();
    private Logger logbackLogger;

    @BeforeEach
    void setUp() {
        assertThat(PipelineHolder.current()).as("no pipeline left installed by another test").isNull();
        console = ConsoleLines.attach("echo.startup", Level.INFO);
        logbackLogger = console.logger();
        appender = console.appender();
    }

    @AfterEach
    void tearDown() {
        PipelineHolder.releaseStartupBuffer(buffer);
        if (console != null) {
            console.detach();
        }
    }

    @Test
    void theStartupEchoMasksWithTheApplicationsFieldPatterns() {
        buffer.configure(LogLevel.INFO, new Redactor(List.of("ssn")));
        PipelineHolder.bufferUntilStarted(buffer);
        assertThat(PipelineHolder.sink()).isSameAs(buffer);

        AppLoggerFactory.getAppLogger("echo.startup").info("applicant", "ssn", "123-45-6789");
        AppLoggerFactory.getAppLogger("echo.startup", false, false).info("console only", "ssn", "987-65-4321");

        assertThat(buffer.size()).isEqualTo(1);
        assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("applicant ssn=" + Secrets.MASK, "console only ssn=" + Secrets.MASK);
    }
}
