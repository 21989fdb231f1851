package io.persistencelog.autoconfigure;

import io.persistencelog.LogPersistenceHandler;
import io.persistencelog.BackendRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** The {@code logpersistence} actuator endpoint, when actuator is present and the endpoint is available. */
@AutoConfiguration(after = LogPersistenceAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
@ConditionalOnBean({ LogPersistenceHandler.class, BackendRegistry.class })
public final class LogPersistenceEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(LogPersistenceEndpoint.class)
    LogPersistenceEndpoint logPersistenceEndpoint(LogPersistenceHandler handler, BackendRegistry registry,
            ObjectProvider<LogPersistenceReportContributor> contributors) {
        return new LogPersistenceEndpoint(handler, registry, contributors.orderedStream().toList());
    }
}
