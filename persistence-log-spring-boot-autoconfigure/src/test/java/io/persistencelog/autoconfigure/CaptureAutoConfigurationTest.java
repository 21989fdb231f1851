package io.persistencelog.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import io.persistencelog.LogLevel;
import io.persistencelog.capture.CaptureSettings;
import io.persistencelog.capture.LogbackCapture;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class CaptureAutoConfigurationTest {

    private static final String NOTICE = "persistence-log is not capturing SLF4J logging";

    @TempDir
    Path logs;

    private final LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LogPersistenceAutoConfiguration.class,
                        CaptureAutoConfiguration.class))
                .withPropertyValues("log-persistence.file.directory=" + logs, "LOG_BACKENDS=file");
    }

    @Test
    void capturesByDefaultWithOneAppenderThatGoesWithTheContext() {
        runner().run(context -> {
            assertThat(context).hasSingleBean(LogbackCaptureLifecycle.class);
            assertThat(LogbackCapture.appenders(logback)).hasSize(1);
            assertThat(context.getBean(LogbackCaptureLifecycle.class).capture().settings())
                    .isEqualTo(CaptureSettings.defaults());
        });
        assertThat(LogbackCapture.appenders(logback)).isEmpty();
    }

    @Test
    void minLevelAndExcludedLoggersAreBound() {
        runner().withPropertyValues("log-persistence.capture.min-level=warn",
                "log-persistence.capture.exclude-loggers=com.noisy,org.apache.kafka").run(context -> {
                    CaptureSettings settings = context.getBean(LogbackCaptureLifecycle.class).capture().settings();
                    assertThat(settings.minLevel()).isEqualTo(LogLevel.WARN);
                    assertThat(settings.excludedLoggers()).containsExactly("com.noisy", "org.apache.kafka");
                    assertThat(LogbackCapture.appenders(logback).get(0).settings()).isEqualTo(settings);
                });
    }

    @Test
    void defaultExclusionsOfThePropertiesMatchTheEngine() {
        runner().run(context -> assertThat(context.getBean(CaptureProperties.class).excludeLoggers())
                .isEqualTo(CaptureSettings.DEFAULT_EXCLUDED_LOGGERS));
    }

    /**
     * README: "In a Spring application a provider can also be a bean". A provider bean's client library must
     * be kept out of capture by default like a service-loaded one's, or every write it logs is captured and
     * written again.
     */
    @Test
    void aProviderBeansLoggersAreExcludedFromCaptureByDefault() {
        runner().withBean(AuditClientProvider.class, AuditClientProvider::new).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(LogbackCaptureLifecycle.class).capture().settings().excludedLoggers())
                    .contains("com.example.auditclient").containsAll(CaptureSettings.DEFAULT_EXCLUDED_LOGGERS);
        });
    }

    static final class AuditClientProvider extends io.persistencelog.BackendProviderSupport<Object> {
        AuditClientProvider() {
            super("audit", Object.class, (settings, context) -> new io.persistencelog.engine.CollectingBackend("audit"),
                    true, java.util.List.of("com.example.auditclient"));
        }
    }

    @Test
    void captureDisabledAttachesNoAppender() {
        runner().withPropertyValues("log-persistence.capture.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(LogbackCaptureLifecycle.class);
            assertThat(context).doesNotHaveBean(CaptureAutoConfiguration.CaptureUnavailableNotice.class);
            assertThat(LogbackCapture.appenders(logback)).isEmpty();
        });
    }

    @Test
    void persistenceDisabledMeansNoCaptureAtAll() {
        runner().withPropertyValues("log-persistence.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(CaptureProperties.class);
            assertThat(context).doesNotHaveBean(LogbackCaptureLifecycle.class);
            assertThat(context).doesNotHaveBean(CaptureAutoConfiguration.CaptureUnavailableNotice.class);
            assertThat(LogbackCapture.appenders(logback)).isEmpty();
        });
    }

    @Test
    void withoutLogbackCaptureIsSkippedWithOneInfoLine(CapturedOutput output) {
        runner().withClassLoader(new FilteredClassLoader("ch.qos.logback")).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(LogbackCaptureLifecycle.class);
            assertThat(context).hasSingleBean(CaptureAutoConfiguration.CaptureUnavailableNotice.class);
            assertThat(LogbackCapture.appenders(logback)).isEmpty();
        });
        assertThat(output.getOut().lines().filter(line -> line.contains(NOTICE)))
                .singleElement().satisfies(line -> assertThat(line).contains("INFO", "Logback is not on the classpath"));
    }

    @Test
    void withLogbackThereIsNoNotice(CapturedOutput output) {
        runner().run(context -> assertThat(context)
                .doesNotHaveBean(CaptureAutoConfiguration.CaptureUnavailableNotice.class));
        assertThat(output.getOut()).doesNotContain(NOTICE);
    }

    @Test
    void aRefreshEventAgainAndAgainKeepsOneAppender() {
        runner().run(context -> {
            for (int i = 0; i < 3; i++) {
                context.publishEvent(new org.springframework.context.event.ContextRefreshedEvent(context));
            }
            assertThat(LogbackCapture.appenders(logback)).hasSize(1);
        });
        assertThat(LogbackCapture.appenders(logback)).isEmpty();
    }
}
