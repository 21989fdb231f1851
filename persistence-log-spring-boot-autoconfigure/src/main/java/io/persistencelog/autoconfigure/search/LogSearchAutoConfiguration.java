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
            String base = actuator.endsWith("/") ? actuator.substring(0, actuator.length() - 1) : actuator;
            if (!environment.containsProperty("management.server.port")) {
                checkNoClash(ui.path(), base);
            }
            return new ExplorerPage(ui.path(), base).routes();
        }

        /**
         * The actuator's handler mapping is consulted before router functions, so a page at or under its base
         * path would be shadowed by an endpoint (at the base path itself, by the links), and a security rule
         * written for {@code EndpointRequest.toAnyEndpoint()} would look like it covers the page when it does not.
         * At the root base path the page must at least keep clear of the two endpoints it reads.
         */
        static void checkNoClash(String path, String base) {
            String clash = null;
            if (!base.isEmpty() && (path.equals(base) || path.startsWith(base + "/"))) {
                clash = "is under the actuator's base path";
            }
            else if (base.isEmpty()) {
                for (String endpoint : new String[] { "/logsearch", "/logpersistence" }) {
                    if (path.equals(endpoint) || path.startsWith(endpoint + "/")) {
                        clash = "is where the actuator serves " + endpoint + " (the actuator is at the root)";
                    }
                }
            }
            if (clash != null) {
                throw new IllegalStateException("log-persistence.ui.path '" + path + "' " + clash
                        + " (management.endpoints.web.base-path='" + (base.isEmpty() ? "/" : base) + "'), where an "
                        + "endpoint would answer instead of the page; set log-persistence.ui.path to a path outside "
                        + "it, such as /logs-explorer, or move management.endpoints.web.base-path");
            }
        }
    }
}
