package io.persistencelog.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.persistencelog.LogPersistenceHandler;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** Micrometer meters of the pipeline, when a {@link MeterRegistry} exists. */
@AutoConfiguration(after = LogPersistenceAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration" })
@ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
@ConditionalOnBean({ MeterRegistry.class, LogPersistenceHandler.class })
public final class LogPersistenceMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    LogPersistenceMeterBinder logPersistenceMeterBinder(LogPersistenceHandler pipeline) {
        return new LogPersistenceMeterBinder(pipeline);
    }
}
