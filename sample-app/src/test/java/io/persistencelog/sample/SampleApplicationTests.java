package io.persistencelog.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.persistencelog.LogPersistenceHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SampleApplicationTests {

    @TempDir
    static Path logs;

    @DynamicPropertySource
    static void logDirectory(DynamicPropertyRegistry registry) {
        registry.add("log-persistence.file.directory", () -> logs.toString());
    }

    @Value("${local.server.port}")
    int port;

    @Autowired
    LogPersistenceHandler handler;

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void requestsArePersistedToTheWeeklyFileAndShownByTheEndpoint() throws Exception {
        assertThat(get("/orders/7").statusCode()).isEqualTo(200);
        assertThat(get("/fail").statusCode()).isEqualTo(200);
        assertThat(handler.flush(Duration.ofSeconds(10))).isTrue();

        List<JsonNode> lines;
        try (var files = Files.list(logs)) {
            Path weekly = files.filter(p -> p.getFileName().toString().matches("wk\\d{2}_.*\\.json")).findFirst()
                    .orElseThrow();
            lines = Files.readAllLines(weekly).stream().map(json::readTree).toList();
        }
        assertThat(lines).anySatisfy(line -> {
            assertThat(line.get("message").asString()).isEqualTo("Request completed");
            assertThat(line.get("path").asString()).isEqualTo("/orders/7");
            assertThat(line.get("status").asInt()).isEqualTo(200);
            assertThat(line.get("method").asString()).isEqualTo("GET");
            assertThat(line.has("duration_ms")).isTrue();
        });
        // Micrometer Tracing put the request's ids into the MDC: the request line and the controller's line of
        // one request carry the same trace id.
        JsonNode requestLine = lines.stream().filter(l -> l.get("message").asString().equals("Request completed")
                && l.get("path").asString().equals("/orders/7")).findFirst().orElseThrow();
        JsonNode orderLine = lines.stream().filter(l -> l.get("message").asString().equals("Order viewed"))
                .findFirst().orElseThrow();
        assertThat(requestLine.has("traceId")).as(requestLine.toString()).isTrue();
        assertThat(requestLine.get("traceId").asString()).matches("[0-9a-f]{32}");
        assertThat(orderLine.get("traceId").asString()).isEqualTo(requestLine.get("traceId").asString());
        assertThat(lines).anySatisfy(line -> {
            assertThat(line.get("message").asString()).isEqualTo("Payment failed");
            assertThat(line.get("error").get("type").asString()).isEqualTo("java.lang.IllegalStateException");
        });

        String body = get("/actuator/logpersistence").body();
        JsonNode report = json.readTree(body);
        assertThat(report.get("activeBackends").toString()).isEqualTo("[\"file\",\"recent\"]");
        assertThat(report.get("logger").get("api").get("totalCalls").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(report.get("backends").get("file").get("logDirectory").asString()).isEqualTo(logs.toString());
        assertThat(report.get("persistence").get("dropped").asLong()).isZero();
        // Spring's own start-up lines went through the Logback capture.
        assertThat(report.get("capture").get("attached").asBoolean()).isTrue();
        assertThat(report.get("capture").get("captured").asLong()).isPositive();

        JsonNode recent = json.readTree(get("/recent-logs").body());
        assertThat(recent.toString()).contains("Order viewed");
        assertThat(get("/actuator/logpersistence/nope").statusCode()).isEqualTo(404);
        assertThat(json.readTree(get("/actuator/logpersistence/recent").body()).get("held").asInt()).isPositive();
        JsonNode file = json.readTree(get("/actuator/logpersistence/file").body());
        assertThat(file.get("totalWrites").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(file.get("failedWrites").asLong()).isZero();
        assertThat(file.get("currentFile").asString()).startsWith(logs.toString());
    }

    @Test
    void healthShowsTheLogPersistenceContributorWithDetails() throws Exception {
        JsonNode health = json.readTree(get("/actuator/health").body());
        JsonNode contributor = health.get("components").get("logPersistence");
        assertThat(contributor.get("status").asString()).isEqualTo("UP");
        assertThat(contributor.get("details").get("queueCapacity").asInt()).isEqualTo(65536);
        assertThat(contributor.get("details").get("backends").get("file").get("status").asString()).isEqualTo("UP");
    }

    @Test
    void prometheusScrapeShowsThePipelineMeters() throws Exception {
        assertThat(get("/hello").statusCode()).isEqualTo(200);
        assertThat(handler.flush(Duration.ofSeconds(10))).isTrue();
        String scrape = get("/actuator/prometheus").body();
        assertThat(scrape).contains("logpersistence_entries_enqueued_total")
                .contains("logpersistence_backend_writes_total{backend=\"file\"")
                .contains("logpersistence_backend_writes_total{backend=\"recent\"")
                .contains("logpersistence_logger_calls_total{logger=\"api\"");
    }

    @Test
    void flushOperationIsBoundedAndReportsSuccess() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/actuator/logpersistence")).POST(
                        HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json.readTree(response.body()).get("flushed").asBoolean()).isTrue();
    }
}
