package io.persistencelog.capture;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.persistencelog.LogLevel;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Attaching, detaching and surviving resets, on a private Logback context. */
class LogbackCaptureTest {

    private final LoggerContext context = new LoggerContext();
    private final Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final LogbackCapture first = new LogbackCapture(context, CaptureSettings.defaults());
    private final LogbackCapture second = new LogbackCapture(context,
            new CaptureSettings(LogLevel.WARN, List.of("com.noisy")));

    @AfterEach
    void release() {
        first.detach();
        second.detach();
    }

    @Test
    void attachingAgainAndAgainLeavesOneStartedAppender() {
        first.attach();
        first.attach();
        first.ensureAttached();
        first.ensureAttached();

        List<PersistenceLogAppender> appenders = LogbackCapture.appenders(context);
        assertThat(appenders).hasSize(1);
        assertThat(appenders.get(0).getName()).isEqualTo(LogbackCapture.APPENDER_NAME);
        assertThat(appenders.get(0).isStarted()).isTrue();
        assertThat(first.isAttached()).isTrue();
    }

    @Test
    void aLogbackResetPutsTheAppenderBack() {
        first.attach();
        PersistenceLogAppender before = LogbackCapture.appenders(context).get(0);

        context.reset(); // e.g. logback.xml scan="true" reloading, or LoggingSystem re-initialisation
        context.reset();

        List<PersistenceLogAppender> after = LogbackCapture.appenders(context);
        assertThat(after).hasSize(1);
        assertThat(after.get(0).isStarted()).isTrue();
        assertThat(before.isStarted()).isFalse(); // Logback stopped the one it dropped
    }

    @Test
    void afterStopAndResetTheNextAttachRestoresAppenderAndListener() {
        first.attach();
        context.start();

        // What Spring Boot does when it initialises logging again: stop() also removes every listener.
        context.stop();
        context.reset();
        assertThat(LogbackCapture.appenders(context)).isEmpty();

        first.ensureAttached(); // the next context refresh
        assertThat(LogbackCapture.appenders(context)).hasSize(1);
        context.reset();
        assertThat(LogbackCapture.appenders(context)).hasSize(1);
    }

    @Test
    void ownersShareOneAppenderThatFollowsTheLastOneAndGoesWithTheLast() {
        first.attach();
        second.attach();
        assertThat(LogbackCapture.appenders(context)).singleElement()
                .satisfies(a -> assertThat(a.settings()).isEqualTo(second.settings()));

        first.ensureAttached(); // a re-check does not change whose settings apply
        assertThat(LogbackCapture.appenders(context).get(0).settings()).isEqualTo(second.settings());

        second.detach();
        assertThat(LogbackCapture.appenders(context)).singleElement()
                .satisfies(a -> assertThat(a.settings()).isEqualTo(first.settings()));

        PersistenceLogAppender last = LogbackCapture.appenders(context).get(0);
        first.detach();
        assertThat(LogbackCapture.appenders(context)).isEmpty();
        assertThat(last.isStarted()).isFalse();

        context.reset();
        assertThat(LogbackCapture.appenders(context)).as("nothing comes back once detached").isEmpty();
        first.ensureAttached();
        assertThat(LogbackCapture.appenders(context)).as("ensureAttached does not re-attach a detached owner")
                .isEmpty();
    }

    @Test
    void anAppenderDeclaredInTheLogbackConfigurationIsRespected() {
        PersistenceLogAppender declared = new PersistenceLogAppender();
        declared.setContext(context);
        declared.setName("PERSISTENCE");
        declared.start();
        root.addAppender(declared);

        first.attach();

        assertThat(LogbackCapture.appenders(context)).containsExactly(declared);
    }

    @Test
    void theAppenderCanBeDeclaredInLogbackXml() throws Exception {
        String xml = """
                <configuration>
                  <appender name="PERSISTENCE" class="io.persistencelog.capture.PersistenceLogAppender">
                    <minLevel>warn</minLevel>
                    <excludeLoggers>com.noisy, org.apache.kafka</excludeLoggers>
                  </appender>
                  <root level="INFO"><appender-ref ref="PERSISTENCE"/></root>
                </configuration>
                """;
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));

        assertThat(LogbackCapture.appenders(context)).singleElement().satisfies(appender -> {
            assertThat(appender.isStarted()).isTrue();
            assertThat(appender.settings().minLevel()).isEqualTo(LogLevel.WARN);
            assertThat(appender.settings().excludedLoggers()).containsExactly("com.noisy", "org.apache.kafka");
        });
        first.attach();
        assertThat(LogbackCapture.appenders(context)).as("the declared one is kept, no second one").hasSize(1);
    }

    @Test
    void anUnrelatedAppenderUsingTheNameIsLeftAlone() {
        ListAppender<ILoggingEvent> other = new ListAppender<>();
        other.setContext(context);
        other.setName(LogbackCapture.APPENDER_NAME);
        other.start();
        root.addAppender(other);

        first.attach();
        first.detach();

        assertThat(root.getAppender(LogbackCapture.APPENDER_NAME)).isSameAs(other);
        assertThat(other.isStarted()).isTrue();
    }
}
