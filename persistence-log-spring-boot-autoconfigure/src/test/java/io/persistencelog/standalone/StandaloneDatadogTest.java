package io.persistencelog.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.persistencelog.LogLevel;
import io.persistencelog.engine.AsyncPersistencePipeline;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A plain {@code main} with LOG_BACKENDS=datadog and DD_API_KEY (here as system properties). */
class StandaloneDatadogTest {

    private static final List<String> PROPERTIES = List.of("LOG_BACKENDS", "DD_API_KEY",
            "log-persistence.datadog.url", "log-persistence.datadog.batch-wait", "log-persistence.min-level");
    private static final String KEY = "dd-standalone-key-0c9d8e7f6a5b";

    @AfterEach
    void clear() {
        PROPERTIES.forEach(System::clearProperty);
    }

    @Test
    void sendsToDatadogWhenSelected() throws IOException, InterruptedException {
        try (MockWebServer server = new MockWebServer()) {
            server.enqueue(new MockResponse.Builder().code(202).build());
            server.start(InetAddress.getByName("127.0.0.1"), 0);
            System.setProperty("LOG_BACKENDS", "datadog");
            System.setProperty("DD_API_KEY", KEY);
            System.setProperty("log-persistence.datadog.url", "http://127.0.0.1:" + server.getPort() + "/api/v2/logs");
            System.setProperty("log-persistence.datadog.batch-wait", "10ms");

            AsyncPersistencePipeline pipeline = StandalonePipeline.fromEnvironment();
            try {
                pipeline.log(LogLevel.INFO, "main", "hello datadog", new Object[] {"k", 1});
                assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
            }
            finally {
                pipeline.shutdown(Duration.ofSeconds(5));
            }

            RecordedRequest request = server.takeRequest();
            assertThat(request.getHeaders().get("DD-API-KEY")).isEqualTo(KEY);
            assertThat(pipeline.laneStats("datadog").persisted()).isEqualTo(1);
        }
    }

    @Test
    void failsWithoutAKeyOnlyWhenSelected() {
        System.setProperty("LOG_BACKENDS", "datadog");

        assertThatThrownBy(StandalonePipeline::fromEnvironment)
                .hasMessageContaining("DD_API_KEY").hasMessageContaining("log-persistence.datadog.api-key");

        System.setProperty("LOG_BACKENDS", "console");
        AsyncPersistencePipeline pipeline = StandalonePipeline.fromEnvironment();
        pipeline.shutdown(Duration.ofSeconds(5));
        assertThat(pipeline.registry().knownNames()).contains("datadog");
    }
}
