package io.persistencelog.autoconfigure.search;

import io.persistencelog.LogPersistenceHandler;
import io.persistencelog.autoconfigure.LogPersistenceAutoConfiguration;
import io.persistencelog.backend.file.FileProperties;
import io.persistencelog.config.SettingsSource;
import io.persistencelog.search.LogSearch;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Reading the weekly files back: the {@code logsearch} actuator endpoint and, with
 * {@code log-persistence.ui.enabled=true}, the explorer page.
 */
@AutoConfiguration(after = LogPersistenceAutoConfiguration.class)
@ConditionalOnBean(LogPersistenceHandler.class)
@EnableConfigurationProperties(LogPersistenceUiProperties.class)
public final class LogSearchAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    LogSearch logSearch(Environment environment) {
        // It searches the file backend's weekly files: their directory as that backend binds it.
        FileProperties files = SettingsSource.of(environment).bind(FileProperties.PREFIX, FileProperties.class);
        return new LogSearch(files.directory().toAbsolutePath().normalize());
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
    static final class EndpointConfiguration {

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnAvailableEndpoint(LogSearchEndpoint.class)
        LogSearchEndpoint logSearchEndpoint(LogSearch search, ObjectProvider<Clock> clock) {
            return new LogSearchEndpoint(search, clock.getIfAvailable(Clock::systemUTC));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(RouterFunction.class)
    @ConditionalOnBooleanProperty("log-persistence.ui.enabled")
    static final class ExplorerPageConfiguration {

        @Bean
        RouterFunction<ServerResponse> logPersistenceExplorerPage(LogPersistenceUiProperties ui,
                Environment environment) {
            String actuator = environment.getProperty("management.endpoints.web.base-path", "/actuator");
            return new ExplorerPage(ui.path(), actuator.endsWith("/") ? actuator.substring(0, actuator.length() - 1)
                    : actuator).routes();
        }
    }
}
