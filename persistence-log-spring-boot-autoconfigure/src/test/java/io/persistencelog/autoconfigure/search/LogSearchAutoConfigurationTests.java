package io.persistencelog.autoconfigure.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.persistencelog.AppLoggerFactory;
import io.persistencelog.LogPersistenceHandler;
import io.persistencelog.autoconfigure.LogPersistenceAutoConfiguration;
import io.persistencelog.search.LogSearch;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.web.servlet.function.RouterFunction;

class LogSearchAutoConfigurationTests {

    @TempDir
    Path logs;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LogPersistenceAutoConfiguration.class,
                        LogSearchAutoConfiguration.class))
                .withPropertyValues("log-persistence.file.directory=" + logs,
                        "log-persistence.capture.enabled=false",
                        "management.endpoints.web.exposure.include=logsearch");
    }

    @Test
    void endpointSearchesTheConfiguredDirectoryWithTheContextClock() {
        Clock clock = Clock.fixed(Instant.parse("2024-01-10T12:00:00Z"), ZoneOffset.UTC);
        runner().withBean(Clock.class, () -> clock).run(context -> {
            assertThat(context.getBean(LogSearch.class).directory()).isEqualTo(logs.toAbsolutePath().normalize());
            AppLoggerFactory.getAppLogger("search.test").error("boom", "order_id", 42, new IllegalStateException("x"));
            AppLoggerFactory.getAppLogger("search.test").info("fine");
            assertThat(context.getBean(LogPersistenceHandler.class).flush(Duration.ofSeconds(10))).isTrue();

            WebEndpointResponse<Map<String, Object>> response = context.getBean(LogSearchEndpoint.class)
                    .search("ERROR", null, null, null, null, null);
            assertThat(response.getStatus()).isEqualTo(200);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> entries = (List<Map<String, Object>>) response.getBody().get("entries");
            assertThat(entries).singleElement().satisfies(entry -> assertThat(entry)
                    .containsEntry("message", "boom").containsEntry("order_id", 42)
                    .containsEntry("timestamp", "2024-01-10T12:00:00Z"));
            assertThat(response.getBody()).containsKeys("scannedFiles", "scannedEntries", "truncated", "histogram")
                    .containsEntry("to", "2024-01-10T12:00:00Z");
        });
    }

    @Test
    void badParameterAnswers400NamingIt() {
        runner().run(context -> {
            WebEndpointResponse<Map<String, Object>> response = context.getBean(LogSearchEndpoint.class)
                    .search(null, null, null, null, null, "5000");
            assertThat(response.getStatus()).isEqualTo(400);
            assertThat(response.getBody()).containsEntry("parameter", "limit");
            assertThat((String) response.getBody().get("message")).contains("limit").contains("1000");
        });
    }

    @Test
    void endpointIsAbsentWhenNotExposed() {
        runner().withPropertyValues("management.endpoints.web.exposure.include=health")
                .run(context -> assertThat(context).doesNotHaveBean(LogSearchEndpoint.class));
    }

    @Test
    void nothingWhenTheStarterIsDisabled() {
        runner().withPropertyValues("log-persistence.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(LogSearch.class)
                        .doesNotHaveBean(LogSearchEndpoint.class));
    }

    private WebApplicationContextRunner webRunner() {
        return new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LogPersistenceAutoConfiguration.class,
                        LogSearchAutoConfiguration.class))
                .withPropertyValues("log-persistence.file.directory=" + logs, "log-persistence.capture.enabled=false");
    }

    @Test
    void explorerPageIsOffByDefault() {
        webRunner().run(context -> assertThat(context).doesNotHaveBean(RouterFunction.class));
    }

    @Test
    void explorerPageIsServedWhenEnabled() {
        webRunner().withPropertyValues("log-persistence.ui.enabled=true")
                .run(context -> assertThat(context).hasSingleBean(RouterFunction.class));
        runner().withPropertyValues("log-persistence.ui.enabled=true")
                .run(context -> assertThat(context).as("not a web application").doesNotHaveBean(RouterFunction.class));
    }

    @Test
    void aBadPagePathFailsStartupNamingTheProperty() {
        webRunner().withPropertyValues("log-persistence.ui.enabled=true", "log-persistence.ui.path=logs/")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("log-persistence.ui.path").hasMessageContaining("/logpersistence"));
    }

    @Test
    void aPagePathWhereTheActuatorAnswersFailsStartupNamingBothProperties() {
        // The actuator's handler mapping runs before the page's routes: at /actuator the page would never be
        // served, and under it a security rule for EndpointRequest.toAnyEndpoint() would not cover it.
        for (String[] clash : new String[][] { { "/actuator", "/actuator" }, { "/actuator/logs", "/actuator" },
                { "/manage/x", "/manage/" }, { "/logpersistence", "/" }, { "/logsearch/x", "" } }) {
            webRunner().withPropertyValues("log-persistence.ui.enabled=true", "log-persistence.ui.path=" + clash[0],
                    "management.endpoints.web.base-path=" + clash[1])
                    .run(context -> assertThat(context).as(clash[0] + " with base path " + clash[1]).hasFailed()
                            .getFailure().rootCause().hasMessageContaining("log-persistence.ui.path")
                            .hasMessageContaining("management.endpoints.web.base-path"));
        }
        webRunner().withPropertyValues("log-persistence.ui.enabled=true", "log-persistence.ui.path=/actuators",
                "management.endpoints.web.base-path=/actuator")
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(RouterFunction.class));
        webRunner().withPropertyValues("log-persistence.ui.enabled=true", "log-persistence.ui.path=/ops",
                "management.endpoints.web.base-path=/")
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(RouterFunction.class));
        webRunner().withPropertyValues("log-persistence.ui.enabled=true", "log-persistence.ui.path=/actuator",
                "management.server.port=0")
                .run(context -> assertThat(context).as("the actuator on its own port leaves the path free")
                        .hasNotFailed().hasSingleBean(RouterFunction.class));
    }

    @Test
    void explorerPageIsNotServedByAReactiveApplicationAndDoesNotStopIt() {
        new ReactiveWebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LogPersistenceAutoConfiguration.class,
                        LogSearchAutoConfiguration.class))
                .withPropertyValues("log-persistence.file.directory=" + logs, "log-persistence.capture.enabled=false",
                        "log-persistence.ui.enabled=true")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RouterFunction.class)
                        .hasSingleBean(LogSearch.class));
    }
}
