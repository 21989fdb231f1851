package io.persistencelog.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.persistencelog.LogPersistenceHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The logsearch endpoint and the explorer page over real HTTP, as the sample app configures them. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LogSearchHttpTests {

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
    void failuresLoggedByFailAreFoundByLevel() throws Exception {
        assertThat(get("/orders/7").statusCode()).isEqualTo(200);
        assertThat(get("/fail").statusCode()).isEqualTo(200);
        assertThat(handler.flush(Duration.ofSeconds(10))).isTrue();

        HttpResponse<String> response = get("/actuator/logsearch?level=ERROR");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json.readTree(response.body());
        assertThat(body.get("entries")).isNotEmpty();
        for (JsonNode entry : body.get("entries")) {
            assertThat(entry.get("level").asString()).isEqualTo("ERROR");
        }
        JsonNode failure = body.get("entries").get(0);
        assertThat(failure.get("message").asString()).isEqualTo("Payment failed");
        assertThat(failure.get("error").get("message").asString()).isEqualTo("payment service unavailable");
        assertThat(body.get("scannedFiles").asInt()).isEqualTo(1);
        assertThat(body.get("truncated").asBoolean()).isFalse();
        assertThat(body.get("histogram").size()).isBetween(40, 61);

        JsonNode byField = json.readTree(get("/actuator/logsearch?field.order_id=7&q=viewed").body());
        assertThat(byField.get("entries")).singleElement()
                .satisfies(entry -> assertThat(entry.get("message").asString()).isEqualTo("Order viewed"));
    }

    @Test
    void badParametersAnswer400NamingTheParameter() throws Exception {
        for (String[] bad : new String[][] { { "limit=abc", "limit" }, { "level=LOUD", "level" },
                { "from=yesterday", "from" }, { "levle=ERROR", "levle" }, { "limit=5000", "limit" } }) {
            HttpResponse<String> response = get("/actuator/logsearch?" + bad[0]);
            assertThat(response.statusCode()).as(bad[0]).isEqualTo(400);
            JsonNode body = json.readTree(response.body());
            assertThat(body.get("parameter").asString()).isEqualTo(bad[1]);
            assertThat(body.get("message").asString()).contains("'" + bad[1] + "'");
        }
    }

    @Test
    void explorerPageIsSelfContainedUnderAStrictPolicy() throws Exception {
        HttpResponse<String> page = get("/logpersistence");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(csp -> assertThat(csp).contains("default-src 'none'").contains("script-src 'self'")
                        .doesNotContain("unsafe-inline").doesNotContain("http"));
        assertThat(page.body()).contains("/logpersistence/explorer.js").contains("content=\"/actuator\"")
                .doesNotContain("http://").doesNotContain("https://").doesNotContain("<script>");

        HttpResponse<String> script = get("/logpersistence/explorer.js");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
        assertThat(script.body()).contains("/logsearch?").doesNotContain("https://");
        assertThat(get("/logpersistence/explorer.css").statusCode()).isEqualTo(200);
    }
}
