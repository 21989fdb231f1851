package io.persistencelog.backend.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.persistencelog.config.SettingsSource;
import io.persistencelog.testing.TestSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where every setting comes from: our properties, Boot's, the standard OTEL_* variables, then the defaults. */
class OtlpSettingsTest {

    private static OtlpSettings resolve(Map<String, String> properties, Map<String, String> environment) {
        SettingsSource source = TestSettings.source(properties, environment);
        return OtlpSettings.resolve(source.bind(OtlpProperties.PREFIX, OtlpProperties.class), source::property,
                source::map);
    }

    @Test
    void endpointIsTheFirstThatIsSetInTheDocumentedOrder() {
        Map<String, String> env = new HashMap<>();
        assertThat(resolve(Map.of(), env).endpoint()).hasToString("http://localhost:4318/v1/logs");

        env.put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://base:4318");
        assertThat(resolve(Map.of(), env).endpoint()).hasToString("http://base:4318/v1/logs");
        env.put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://base:4318/otlp/");
        assertThat(resolve(Map.of(), env).endpoint()).hasToString("http://base:4318/otlp/v1/logs");

        env.put("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", "http://logs-only:4318/custom/logs");
        assertThat(resolve(Map.of(), env).endpoint()).hasToString("http://logs-only:4318/custom/logs");
        assertThat(resolve(Map.of(), env).endpointSource()).isEqualTo("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT");

        env.put("MANAGEMENT_OPENTELEMETRY_LOGGING_EXPORT_OTLP_ENDPOINT", "http://boot:4318/v1/logs");
        assertThat(resolve(Map.of(), env).endpoint()).hasToString("http://boot:4318/v1/logs");

        OtlpSettings ours = resolve(Map.of("log-persistence.otlp.endpoint", "https://ours:4318/v1/logs"), env);
        assertThat(ours.endpoint()).hasToString("https://ours:4318/v1/logs");
        assertThat(ours.endpointSource()).isEqualTo("log-persistence.otlp.endpoint");
    }

    @Test
    void headersLayerTheVariablesUnderBootsAndOurs() {
        Map<String, String> env = Map.of("OTEL_EXPORTER_OTLP_HEADERS", "api-key=generic-7a7a,x-team=core",
                "OTEL_EXPORTER_OTLP_LOGS_HEADERS", "api-key=logs-8b8b,Authorization=Basic%20dXNlcjpwYXNz");
        Map<String, String> properties = Map.of("management.opentelemetry.logging.export.otlp.headers.x-team", "boot",
                "log-persistence.otlp.headers.x-scope", "ours");

        OtlpSettings settings = resolve(properties, env);

        assertThat(settings.headers()).containsEntry("api-key", "logs-8b8b")
                .containsEntry("Authorization", "Basic dXNlcjpwYXNz").containsEntry("x-team", "boot")
                .containsEntry("x-scope", "ours");
        assertThat(settings.toString()).doesNotContain("logs-8b8b").doesNotContain("dXNlcjpwYXNz");
    }

    @Test
    void compressionAndTimeoutFallBackToTheOtelVariables() {
        OtlpSettings defaults = resolve(Map.of(), Map.of());
        assertThat(defaults.gzip()).isTrue();
        assertThat(defaults.timeout()).isEqualTo(Duration.ofSeconds(10));

        OtlpSettings fromEnv = resolve(Map.of(), Map.of("OTEL_EXPORTER_OTLP_COMPRESSION", "none",
                "OTEL_EXPORTER_OTLP_TIMEOUT", "2500"));
        assertThat(fromEnv.gzip()).isFalse();
        assertThat(fromEnv.timeout()).isEqualTo(Duration.ofMillis(2500));

        OtlpSettings ours = resolve(Map.of("log-persistence.otlp.compression", "gzip", "log-persistence.otlp.timeout",
                "3s"), Map.of("OTEL_EXPORTER_OTLP_COMPRESSION", "none", "OTEL_EXPORTER_OTLP_LOGS_TIMEOUT", "100"));
        assertThat(ours.gzip()).isTrue();
        assertThat(ours.timeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void serviceNamePrefersOurPropertyThenOtelServiceNameThenTheResourceThenTheApplicationName() {
        assertThat(resolve(Map.of(), Map.of()).resource()).containsEntry("service.name", "unknown_service:java");
        assertThat(resolve(Map.of("spring.application.name", "orders"), Map.of()).resource())
                .containsEntry("service.name", "orders");
        assertThat(resolve(Map.of("spring.application.name", "orders"),
                Map.of("OTEL_RESOURCE_ATTRIBUTES", "service.name=from-resource")).resource())
                .containsEntry("service.name", "from-resource");
        assertThat(resolve(Map.of("spring.application.name", "orders"),
                Map.of("OTEL_RESOURCE_ATTRIBUTES", "service.name=from-resource", "OTEL_SERVICE_NAME", "billing"))
                .resource()).containsEntry("service.name", "billing");
        assertThat(resolve(Map.of("log-persistence.otlp.service-name", "ours"), Map.of("OTEL_SERVICE_NAME", "billing"))
                .resource()).containsEntry("service.name", "ours");
    }

    @Test
    void resourceAttributesLayerTheVariableUnderBootsAndOursWithVersionAndHost() {
        OtlpSettings settings = resolve(Map.of("management.opentelemetry.resource-attributes.team", "boot",
                "log-persistence.otlp.resource-attributes.region", "eu", "spring.application.version", "2.1.0"),
                Map.of("OTEL_RESOURCE_ATTRIBUTES", "team=env,deployment.environment.name=prod%20eu"));

        assertThat(settings.resource()).containsEntry("team", "boot").containsEntry("region", "eu")
                .containsEntry("deployment.environment.name", "prod eu").containsEntry("service.version", "2.1.0")
                .containsKey("host.name");
    }

    @Test
    void badValuesNameTheSettingAndNeverQuoteASecret() {
        assertThatThrownBy(() -> resolve(Map.of("log-persistence.otlp.endpoint", "collector:4318"), Map.of()))
                .hasMessageContaining("log-persistence.otlp.endpoint").hasMessageContaining("http(s) URL");
        assertThatThrownBy(() -> resolve(Map.of(), Map.of("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", "ftp://x/v1/logs")))
                .hasMessageContaining("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT");
        assertThatThrownBy(() -> resolve(Map.of(), Map.of("OTEL_EXPORTER_OTLP_HEADERS", "only-a-value-9c9c")))
                .hasMessageContaining("OTEL_EXPORTER_OTLP_HEADERS").hasMessageNotContaining("only-a-value-9c9c");
        assertThatThrownBy(() -> resolve(Map.of("log-persistence.otlp.compression", "zstd"), Map.of()))
                .hasMessageContaining("log-persistence.otlp.compression").hasMessageContaining("gzip or none");
        assertThatThrownBy(() -> resolve(Map.of("log-persistence.otlp.max-retries", "-1"), Map.of()))
                .hasMessageContaining("log-persistence.otlp.max-retries");
    }

    @Test
    void theBoundPropertiesNeverShowTheEndpointsCredentialsOrQuery() {
        OtlpProperties properties = OtlpProperties.defaults()
                .withEndpoint("https://user:pa55w0rd-77@collector:4318/v1/logs?api-key=q-key-88");
        assertThat(properties.toString()).contains("https://collector:4318/v1/logs").doesNotContain("pa55w0rd-77")
                .doesNotContain("q-key-88");
        assertThat(properties.withEndpoint("http://user:pa55w0rd-77@collector/v1/ logs?api-key=q-key-88").toString())
                .doesNotContain("pa55w0rd-77").doesNotContain("q-key-88");
    }
    @Test
    void anUnparseableEndpointNamesTheSettingAndTheFlawButNoCredentialAnywhereInTheCauses() {
        Throwable failure = catchThrowable(() -> resolve(Map.of("log-persistence.otlp.endpoint",
                "http://user:pa55w0rd-31@collector:4318/v1/ logs?token=tok-s3cr3t-31"), Map.of()));

        assertThat(failure).hasMessageContaining("log-persistence.otlp.endpoint").hasMessageContaining("Illegal character");
        for (Throwable t = failure; t != null; t = t.getCause()) {
            assertThat(t.toString()).doesNotContain("pa55w0rd-31").doesNotContain("tok-s3cr3t-31");
        }
    }
    @Test
    void aHeaderTheHttpClientWouldRefuseStopsTheStartNamingItsSettingNotItsValue() {
        // A percent-encoded line break in a value, a restricted name, a name with a space: each one made
        // every request throw later, with the JDK's message quoting the value.
        assertThatThrownBy(() -> resolve(Map.of(), Map.of("OTEL_EXPORTER_OTLP_HEADERS",
                "x-team=core,Authorization=Bearer%20tok-7f7f%0Ainjected-s3cr3t")))
                .hasMessageContaining("OTEL_EXPORTER_OTLP_HEADERS").hasMessageContaining("Authorization")
                .hasMessageNotContaining("tok-7f7f").hasMessageNotContaining("injected-s3cr3t").hasNoCause();
        assertThatThrownBy(() -> resolve(Map.of("log-persistence.otlp.headers.Host", "other-host-4a4a"), Map.of()))
                .hasMessageContaining("log-persistence.otlp.headers").hasMessageContaining("Host")
                .hasMessageNotContaining("other-host-4a4a");
        assertThatThrownBy(() -> resolve(Map.of(), Map.of("OTEL_EXPORTER_OTLP_LOGS_HEADERS", "my key=v-5b5b")))
                .hasMessageContaining("OTEL_EXPORTER_OTLP_LOGS_HEADERS").hasMessageNotContaining("v-5b5b");
        // An empty value is a header like any other.
        assertThat(resolve(Map.of(), Map.of("OTEL_EXPORTER_OTLP_HEADERS", "x-empty=,x-b=1")).headers())
                .containsEntry("x-empty", "").containsEntry("x-b", "1");
    }
    @Test
    void theLogsPathIsAppendedToTheBaseUrlsPathNotToItsQuery() {
        OtlpSettings withQuery = resolve(Map.of(), Map.of("OTEL_EXPORTER_OTLP_ENDPOINT",
                "https://intake.example:4318?tenant=t-1"));
        assertThat(withQuery.endpoint().getPath()).isEqualTo("/v1/logs");
        assertThat(withQuery.endpoint().getQuery()).isEqualTo("tenant=t-1");
        OtlpSettings withPath = resolve(Map.of(), Map.of("OTEL_EXPORTER_OTLP_ENDPOINT",
                "https://intake.example/otlp/?tenant=t-1"));
        assertThat(withPath.endpoint()).hasToString("https://intake.example/otlp/v1/logs?tenant=t-1");
    }
    @Test
    void aBadTimeoutNamesTheSettingItCameFrom() {
        assertThatThrownBy(() -> resolve(Map.of(), Map.of("OTEL_EXPORTER_OTLP_LOGS_TIMEOUT", "10s")))
                .hasMessageStartingWith("OTEL_EXPORTER_OTLP_LOGS_TIMEOUT");
        assertThatThrownBy(() -> resolve(Map.of(), Map.of("OTEL_EXPORTER_OTLP_TIMEOUT", "0")))
                .hasMessageStartingWith("OTEL_EXPORTER_OTLP_TIMEOUT");
        assertThatThrownBy(() -> resolve(Map.of("log-persistence.otlp.timeout", "0s"),
                Map.of("OTEL_EXPORTER_OTLP_TIMEOUT", "0"))).hasMessageStartingWith("log-persistence.otlp.timeout");
    }
    @Test
    void anOtelEndpointMeantForAnotherProtocolStopsTheStartInsteadOfFailingEveryRequest() {
        // The OpenTelemetry operator and many setups export OTEL_EXPORTER_OTLP_PROTOCOL=grpc with the gRPC port:
        // this backend speaks http/protobuf, so every request to that endpoint would fail.
        assertThatThrownBy(() -> resolve(Map.of(), Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317",
                "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")))
                .hasMessageContaining("OTEL_EXPORTER_OTLP_PROTOCOL").hasMessageContaining("grpc")
                .hasMessageContaining("log-persistence.otlp.endpoint");
        assertThatThrownBy(() -> resolve(Map.of(), Map.of("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT",
                "http://collector:4318/v1/logs", "OTEL_EXPORTER_OTLP_LOGS_PROTOCOL", "http/json")))
                .hasMessageContaining("OTEL_EXPORTER_OTLP_LOGS_PROTOCOL");

        assertThat(resolve(Map.of(), Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318",
                "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc", "OTEL_EXPORTER_OTLP_LOGS_PROTOCOL", "http/protobuf"))
                .endpoint()).hasToString("http://collector:4318/v1/logs");
        // Named for this backend, the endpoint is taken as an OTLP/HTTP one whatever the agent's protocol.
        assertThat(resolve(Map.of("log-persistence.otlp.endpoint", "http://collector:4318/v1/logs"),
                Map.of("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")).endpoint()).hasToString("http://collector:4318/v1/logs");
    }
}
