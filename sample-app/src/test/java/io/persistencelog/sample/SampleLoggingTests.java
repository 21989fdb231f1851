package io.persistencelog.sample;

import static io.persistencelog.LogLevel.ERROR;
import static io.persistencelog.LogLevel.INFO;
import static io.persistencelog.test.PersistenceLogAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.persistencelog.test.AutoConfigurePersistedLogs;
import io.persistencelog.test.PersistedLogs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** What the README's "Testing your logging" shows: assert on persisted entries with persistence-log-test. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigurePersistedLogs
class SampleLoggingTests {

    @TempDir
    static Path logs;

    @DynamicPropertySource
    static void logDirectory(DynamicPropertyRegistry registry) {
        registry.add("log-persistence.file.directory", () -> logs.toString());
    }

    @Value("${local.server.port}")
    int port;

    @Autowired
    PersistedLogs persistedLogs;

    private final HttpClient http = HttpClient.newHttpClient();

    private int get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void aFailedPaymentIsPersistedWithItsOrderAndError() throws Exception {
        assertThat(get("/fail")).isEqualTo(200);

        assertThat(persistedLogs).hasEntry(ERROR, "Payment failed").withField("order_id", 42)
                .withError(IllegalStateException.class);
    }

    @Test
    void aViewedOrderIsPersistedWithItsFields() throws Exception {
        // Logged by the controller before the response is written, so the flush in hasEntry covers it (the
        // filter's "Request completed" line may still be on its way when the client has the response).
        assertThat(get("/orders/7")).isEqualTo(200);

        assertThat(persistedLogs).hasEntry(INFO, "Order viewed").withField("order_id", 7).withField("user_id", 123)
                .fromLogger("orders");
    }
}
