package io.persistencelog.autoconfigure;

import io.persistencelog.BackendFactory;
import io.persistencelog.BackendNames;
import io.persistencelog.BackendRegistry;
import io.persistencelog.LogBackend;
import io.persistencelog.LogPersistenceHandler;
import io.persistencelog.backend.console.ConsoleBackend;
import io.persistencelog.backend.file.FileBackend;
import io.persistencelog.backend.file.FileBackendSettings;
import io.persistencelog.engine.AsyncPersistencePipeline;
import io.persistencelog.engine.DefaultBackendRegistry;
import io.persistencelog.engine.GuardSettings;
import io.persistencelog.engine.spool.SpoolSettings;
import java.time.Clock;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Builds the pipeline from {@code application.yml} and {@code LOG_BACKENDS}: the registry of backends
 * (built-in factories, then every {@link LogBackend} bean by name), the queue with its lanes, and the
 * lifecycle that starts it and drains it on shutdown.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "log-persistence.enabled", matchIfMissing = true)
@EnableConfigurationProperties({ LogPersistenceProperties.class, ResilienceProperties.class, SpoolProperties.class,
        ConsoleEchoProperties.class })
public final class LogPersistenceAutoConfiguration {

    /** The environment variable (or any property of that exact name) that selects backends. */
    public static final String LOG_BACKENDS = "LOG_BACKENDS";

    @Bean
    @ConditionalOnMissingBean(name = "fileLogBackendFactory")
    BackendFactory fileLogBackendFactory(LogPersistenceProperties properties) {
        FileBackendSettings settings = properties.toFileSettings();
        return BackendFactory.of(BackendNames.FILE, () -> new FileBackend(settings));
    }

    @Bean
    @ConditionalOnMissingBean(name = "consoleLogBackendFactory")
    BackendFactory consoleLogBackendFactory(LogPersistenceProperties properties) {
        int maxValueLength = properties.maxValueLength();
        return BackendFactory.of(BackendNames.CONSOLE, () -> new ConsoleBackend(System.out, maxValueLength));
    }

    @Bean
    @ConditionalOnMissingBean(BackendRegistry.class)
    DefaultBackendRegistry logBackendRegistry(LogPersistenceProperties properties, Environment environment,
            ObjectProvider<BackendFactory> factories, ListableBeanFactory beanFactory) {
        DefaultBackendRegistry registry = new DefaultBackendRegistry(
                BackendNames.select(environment.getProperty(LOG_BACKENDS), properties.backends()));
        factories.orderedStream().forEach(registry::register);
        Map<String, LogBackend> beans = beanFactory.getBeansOfType(LogBackend.class, false, true);
        LogBackendBeans.checkUniqueNames(beans);
        beans.values().forEach(registry::register);
        return registry;
    }

    @Bean
    @ConditionalOnMissingBean(LogPersistenceHandler.class)
    AsyncPersistencePipeline logPersistenceHandler(LogPersistenceProperties properties,
            ResilienceProperties resilience, SpoolProperties spool, DefaultBackendRegistry registry,
            ObjectProvider<Clock> clock, ConsoleEchoProperties echo) {
        AsyncPersistencePipeline pipeline = new AsyncPersistencePipeline(
                properties.toPipelineSettings(clock.getIfAvailable(Clock::systemUTC)), registry);
        pipeline.setRedactor(properties.toRedactor());
        pipeline.setGuardSettings(guardSettings(resilience, spool, properties.maxValueLength()));
        pipeline.setConsoleEcho(echo.consoleEcho());
        return pipeline;
    }

    static GuardSettings guardSettings(ResilienceProperties resilience, SpoolProperties spool, int maxValueLength) {
        SpoolSettings spoolSettings = spool.enabled() ? new SpoolSettings(spool.directory(), spool.maxSize().toBytes(),
                spool.segmentSize().toBytes(), spool.fsync(), spool.whenFull(),
                FileBackendSettings.parsePermissions(spool.permissions()), maxValueLength) : null;
        return new GuardSettings(resilience.retryAttempts(), resilience.retryBackoff(), resilience.circuitEnabled(),
                resilience.failuresToOpen(), resilience.pauseInitial(), resilience.pauseMax(), spoolSettings,
                spool.backends().stream().map(BackendNames::normalize).collect(Collectors.toSet()));
    }

    @Bean
    @ConditionalOnMissingBean
    LogPersistenceLifecycle logPersistenceLifecycle(AsyncPersistencePipeline pipeline,
            LogPersistenceProperties properties) {
        return new LogPersistenceLifecycle(pipeline, properties.shutdownTimeout());
    }
}
