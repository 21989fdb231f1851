package io.persistencelog.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sample as an AOT-processed application (what a native image runs): started in its own JVM with
 * {@code -Dspring.aot.enabled=true}, it serves a request, persists the entries to the weekly file and answers
 * {@code /actuator/logpersistence}. Runs in the {@code aot} profile, after {@code spring-boot:process-aot}.
 */
class SampleAppAotIT {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @Test
    void theAotProcessedAppLogsPersistsAndAnswersTheEndpoint() throws Exception {
        assumeTrue(Boolean.getBoolean("sample.aot.processed"), "needs the aot profile (spring-boot:process-aot)");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path logs = dir.resolve("logs");
        Path output = dir.resolve("app.out");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process app = new ProcessBuilder(List.of(java, "-Dspring.aot.enabled=true", "-cp",
                System.getProperty("java.class.path"), SampleApplication.class.getName(), "--server.port=" + port,
                "--log-persistence.file.directory=" + logs)).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        try {
            String base = "http://127.0.0.1:" + port;
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .until(() -> !app.isAlive() || status(base + "/actuator/health") == 200);
            assertThat(app.isAlive()).as("the app started; its output:%n%s", read(output)).isTrue();
            assertThat(read(output)).contains("AOT-processed");

            assertThat(status(base + "/orders/7")).isEqualTo(200);
            HttpResponse<String> flushed = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/logpersistence"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(json.readTree(flushed.body()).get("flushed").asBoolean()).isTrue();

            JsonNode report = json.readTree(http.send(HttpRequest.newBuilder(URI.create(base
                    + "/actuator/logpersistence")).build(), HttpResponse.BodyHandlers.ofString()).body());
            assertThat(report.get("activeBackends").toString()).contains("\"file\"");
            assertThat(report.get("persistence").get("persisted").asLong()).isPositive();

            List<String> lines;
            try (Stream<Path> files = Files.list(logs)) {
                Path weekly = files.filter(p -> p.getFileName().toString().matches("wk\\d{2}_.*\\.json"))
                        .findFirst().orElseThrow();
                lines = Files.readAllLines(weekly, StandardCharsets.UTF_8);
            }
            assertThat(lines).anySatisfy(line -> {
                JsonNode entry = json.readTree(line);
                assertThat(entry.get("message").asString()).isEqualTo("Order viewed");
                assertThat(entry.get("order_id").asInt()).isEqualTo(7);
            });
        }
        finally {
            app.destroy();
            if (!app.waitFor(60, TimeUnit.SECONDS)) {
                app.destroyForcibly();
            }
        }
    }

    private int status(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        }
        catch (Exception ex) {
            return -1;
        }
    }

    private static String read(Path file) throws Exception {
        return Files.exists(file) ? Files.readString(file) : "";
    }
}
