package io.persistencelog.autoconfigure;

import io.persistencelog.BackendContext;
import io.persistencelog.BackendFactory;
import io.persistencelog.BackendRegistry;
import io.persistencelog.LogBackend;
import io.persistencelog.LogBackendProvider;
import io.persistencelog.LogPersistenceHandler;
import io.persistencelog.config.BackendProviders;
import io.persistencelog.config.ConsoleEchoProperties;
import io.persistencelog.config.LogPersistenceProperties;
import io.persistencelog.config.PipelineAssembly;
import io.persistencelog.config.ResilienceProperties;
import io.persistencelog.config.SettingsSource;
import io.persistencelog.config.SpoolProperties;
import io.persistencelog.engine.AsyncPersistencePipeline;
import io.persistencelog.engine.DefaultBackendRegistry;
import io.persistencelog.engine.HandlerSink;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Builds the pipeline from {@code application.yml} and {@code LOG_BACKENDS} with the same
 * {@link PipelineAssembly} a plain {@code main} uses: the registry of backends (every
 * {@link LogBackendProvider}, service-loaded or a bean, then {@link BackendFactory} beans, then every
 * {@link LogBackend} bean by name), the queue with its lanes, and the lifecycle that starts it and drains it
 * on shutdown. A bean of each public type ({@link BackendRegistry}, {@link LogPersistenceHandler}) replaces
 * the built-in one.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "log-persistence.enabled", matchIfMissing = true)
@EnableConfigurationProperties({ LogPersistenceProperties.class, ResilienceProperties.class, SpoolProperties.class,
        ConsoleEchoProperties.class })
public final class LogPersistenceAutoConfiguration {

    /** The environment variable (or any property of that exact name) that selects backends. */
    public static final String LOG_BACKENDS = PipelineAssembly.LOG_BACKENDS;
    private static final String METER_REGISTRY = "io.micrometer.core.instrument.MeterRegistry";

    @Bean
    @ConditionalOnMissingBean
    BackendProviders logBackendProviders(ObjectProvider<LogBackendProvider<?>> providerBeans,
            ListableBeanFactory beanFactory) {
        ClassLoader classLoader = beanFactory instanceof org.springframework.beans.factory.config.ConfigurableBeanFactory c
                && c.getBeanClassLoader() != null ? c.getBeanClassLoader() : getClass().getClassLoader();
        return BackendProviders.load(classLoader, providerBeans.orderedStream().toList());
    }

    @Bean
    @ConditionalOnMissingBean
    BackendContext logBackendContext(LogPersistenceProperties properties, Environment environment,
            ObjectProvider<Clock> clock, ListableBeanFactory beanFactory) {
        return PipelineAssembly.context(SettingsSource.of(environment), properties,
                clock.getIfAvailable(Clock::systemUTC), meterRegistry(beanFactory));
    }

    /** The application's registry, looked up only when a backend asks for it; Micrometer may be absent. */
    private static Supplier<Optional<?>> meterRegistry(ListableBeanFactory beanFactory) {
        return () -> {
            ClassLoader loader = LogPersistenceAutoConfiguration.class.getClassLoader();
            if (!ClassUtils.isPresent(METER_REGISTRY, loader)) {
                return Optional.empty();
            }
            Class<?> type = ClassUtils.resolveClassName(METER_REGISTRY, loader);
            return Optional.ofNullable(beanFactory.getBeanProvider(type).getIfAvailable());
        };
    }

    @Bean
    @ConditionalOnMissingBean(BackendRegistry.class)
    DefaultBackendRegistry logBackendRegistry(LogPersistenceProperties properties, Environment environment,
            BackendProviders providers, BackendContext context, ObjectProvider<BackendFactory> factories,
            ListableBeanFactory beanFactory) {
        SettingsSource source = SettingsSource.of(environment);
        DefaultBackendRegistry registry = PipelineAssembly.registry(PipelineAssembly.selectedBackends(source, properties),
                providers, source, context);
        Map<String, LogBackend> beans = beanFactory.getBeansOfType(LogBackend.class, false, true);
        LogBackendBeans.checkUniqueNames(beans);
        LogBackendBeans.checkUniqueNames(beanFactory.getBeansOfType(BackendFactory.class, false, true), beans);
        factories.orderedStream().forEach(registry::register);
        beans.values().forEach(registry::register);
        return registry;
    }

    @Bean
    @ConditionalOnMissingBean(LogPersistenceHandler.class)
    AsyncPersistencePipeline logPersistenceHandler(LogPersistenceProperties properties,
            ResilienceProperties resilience, SpoolProperties spool, ConsoleEchoProperties echo,
            BackendRegistry registry, BackendProviders providers, ObjectProvider<Clock> clock) {
        return PipelineAssembly.pipeline(properties, resilience, spool, echo, LogBackendBeans.engineRegistry(registry),
                providers, clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    @ConditionalOnMissingBean
    LogPersistenceLifecycle logPersistenceLifecycle(LogPersistenceHandler handler,
            LogPersistenceProperties properties, ObjectProvider<Clock> clock) {
        return new LogPersistenceLifecycle(handler, HandlerSink.of(handler, clock.getIfAvailable(Clock::systemUTC),
                properties.minLevel(), properties.toRedactor()), properties.shutdownTimeout());
    }
}
