package io.persistencelog.backend.datadog;

import io.persistencelog.autoconfigure.LogPersistenceAutoConfiguration;
import io.persistencelog.BackendContext;
import io.persistencelog.engine.DefaultBackendRegistry;
import io.persistencelog.testing.TestSettings;

import static org.assertj.core.api.Assertions.assertThat;

import io.persistencelog.BackendFactory;
import io.persistencelog.BackendRegistry;
import io.persistencelog.LogBackend;
import io.persistencelog.LogLevel;
import io.persistencelog.backend.datadog.DatadogBackend;
import io.persistencelog.engine.AsyncPersistencePipeline;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class DatadogSpringTests {

    private static final String KEY = "dd-context-key-3e1b7a9f0c2d";

    @TempDir
    Path logs;

    private MockWebServer server;
    private ApplicationContextRunner runner;

    @BeforeEach
    void setUp() throws IOException {
        server = new MockWebServer();
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LogPersistenceAutoConfiguration.class))
                .withPropertyValues("log-persistence.file.directory=" + logs,
                        "log-persistence.datadog.url=http://127.0.0.1:" + server.getPort() + "/api/v2/logs",
                        "log-persistence.datadog.batch-wait=10ms", "log-persistence.datadog.backoff=5ms",
                        "log-persistence.datadog.max-backoff=20ms");
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private static List<String> messages(Throwable failure) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.add(String.valueOf(t.getMessage()));
        }
        return messages;
    }

    @Test
    void selectedWithoutAKeyStopsTheStartNamingBothSettings() {
        runner.withPropertyValues("log-persistence.backends=datadog").run(context -> {
            assertThat(context).hasFailed();
            String all = String.join("\n", messages(context.getStartupFailure()));
            assertThat(all).contains("DD_API_KEY").contains("log-persistence.datadog.api-key");
        });
    }

    @Test
    void notSelectedItNeedsNoKey() {
        runner.withPropertyValues("log-persistence.backends=file").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(BackendRegistry.class).knownNames()).contains("datadog");
            assertThat(context.getBean(BackendRegistry.class).getActiveBackends()).extracting(LogBackend::name)
                    .containsExactly("file");
        });
    }

    @Test
    void anUnknownSiteStopsTheStartNamingThePropertyAndTheVariable() {
        runner.withPropertyValues("log-persistence.backends=datadog", "log-persistence.datadog.url=",
                "log-persistence.datadog.api-key=" + KEY, "log-persistence.datadog.site=datadoghq.nope")
                .run(context -> {
                    assertThat(context).hasFailed();
                    String all = String.join("\n", messages(context.getStartupFailure()));
                    assertThat(all).contains("datadoghq.nope").contains("log-persistence.datadog.site")
                            .contains("DD_SITE").doesNotContain(KEY);
                });
    }

    @Test
    void readsDatadogsOwnVariablesThroughTheEnvironment() {
        runner.withPropertyValues("LOG_BACKENDS=datadog", "log-persistence.datadog.url=", "DD_API_KEY=" + KEY,
                "DD_SITE=datadoghq.eu", "DD_ENV=prod", "spring.application.name=checkout").run(context -> {
                    assertThat(context).hasNotFailed();
                    DatadogBackend backend = (DatadogBackend) context.getBean(BackendRegistry.class)
                            .getActiveBackends().get(0);
                    assertThat(backend.settings().intakeUri())
                            .hasToString("https://http-intake.logs.datadoghq.eu/api/v2/logs");
                    assertThat(backend.settings().apiKey()).isEqualTo(KEY);
                    assertThat(backend.settings().service()).isEqualTo("checkout");
                    assertThat(backend.settings().tags()).containsExactly("env:prod");
                    assertThat(backend.maxBatchWait()).isEqualTo(Duration.ofMillis(10));
                });
    }

    @Test
    void thePropertiesWinOverDatadogsVariables() {
        runner.withPropertyValues("log-persistence.backends=datadog", "DD_API_KEY=not-this-one-123",
                "log-persistence.datadog.api-key=" + KEY, "DD_SITE=datadoghq.eu",
                "log-persistence.datadog.site=us5.datadoghq.com", "log-persistence.datadog.service=billing",
                "log-persistence.datadog.tags=team:core,env:staging", "DD_ENV=prod",
                "log-persistence.datadog.max-retries=1", "log-persistence.datadog.request-timeout=2s").run(context -> {
                    DatadogBackend backend = (DatadogBackend) context.getBean(BackendRegistry.class)
                            .getActiveBackends().get(0);
                    assertThat(backend.settings().apiKey()).isEqualTo(KEY);
                    assertThat(backend.settings().site()).isEqualTo("us5.datadoghq.com");
                    assertThat(backend.settings().service()).isEqualTo("billing");
                    assertThat(backend.settings().tags()).containsExactly("team:core", "env:staging");
                    assertThat(backend.settings().maxRetries()).isEqualTo(1);
                    assertThat(backend.settings().requestTimeout()).isEqualTo(Duration.ofSeconds(2));
                });
    }

    @Test
    void theKeyNeverShowsInToStringMetricsOrLogs(CapturedOutput output) {
        server.enqueue(new MockResponse.Builder().code(403).body("{\"errors\":[\"Forbidden\"]}").build());
        runner.withPropertyValues("log-persistence.backends=datadog", "log-persistence.datadog.api-key=" + KEY)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(TestSettings.bound(context, DatadogProperties.PREFIX, DatadogProperties.class)
                            .toString()).doesNotContain(KEY)
                            .contains("apiKey=******");
                    AsyncPersistencePipeline pipeline = context.getBean(AsyncPersistencePipeline.class);
                    pipeline.log(LogLevel.ERROR, "orders", "payment failed", new Object[] {"order", 7});
                    assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
                    Map<String, Map<String, Object>> metrics = context.getBean(BackendRegistry.class).getAllMetrics();
                    assertThat(metrics.get("datadog")).containsEntry("rejectedByAuth", true)
                            .containsEntry("failedWrites", 1L);
                    assertThat(metrics.toString()).doesNotContain(KEY);
                    assertThat(context.getBean(BackendRegistry.class).getActiveBackends().toString())
                            .doesNotContain(KEY);
                    assertThat(context.getBean(BackendContext.class).toString()).doesNotContain(KEY);
                });
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(output.getAll()).contains("rejected the API key").doesNotContain(KEY);
    }

    @Test
    void sendsWhatIsLoggedWhenSelected() throws InterruptedException {
        server.enqueue(new MockResponse.Builder().code(202).build());
        runner.withPropertyValues("log-persistence.backends=file,datadog", "log-persistence.datadog.api-key=" + KEY)
                .run(context -> {
                    AsyncPersistencePipeline pipeline = context.getBean(AsyncPersistencePipeline.class);
                    pipeline.log(LogLevel.INFO, "orders", "order placed", new Object[] {"user_id", 123});
                    assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
                });
        assertThat(server.takeRequest().getHeaders().get("DD-API-KEY")).isEqualTo(KEY);
    }

    @Test
    void aUserFactoryNamedLikeTheBuiltInOneReplacesIt() {
        runner.withPropertyValues("log-persistence.backends=datadog")
                .withBean("datadogLogBackendFactory", BackendFactory.class,
                        () -> BackendFactory.unavailable("datadog", "replaced by the application"))
                .run(context -> {
                    assertThat(context).hasNotFailed(); // no key needed: the provider's factory is replaced
                    assertThat(context.getBean(DefaultBackendRegistry.class).unavailableReasons())
                            .containsEntry("datadog", "replaced by the application");
                });
    }

    @Test
    void nothingWhenLogPersistenceIsDisabled() {
        runner.withPropertyValues("log-persistence.enabled=false", "log-persistence.backends=datadog")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(BackendRegistry.class);
                });
    }
}
