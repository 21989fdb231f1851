package io.persistencelog.backend.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.persistencelog.standalone.StandaloneMain;
import io.persistencelog.testing.ChildJvm;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A plain {@code main} in its own JVM, configured only through the standard OTEL_* variables (and LOG_BACKENDS). */
class OtlpStandaloneTest {

    private static final String TOKEN = "standalone-otlp-token-1d2e3f";

    private final OtlpReceiver receiver = new OtlpReceiver();

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        receiver.close();
    }

    @Test
    void aPlainMainSendsEveryEntryToTheCollectorNamedByOtelVariables() throws Exception {
        Process process = ChildJvm.of(StandaloneMain.class, 300)
                .env("LOG_BACKENDS", "otlp")
                // The base URL of all signals: /v1/logs is appended.
                .env("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + receiver.server.port())
                .env("OTEL_EXPORTER_OTLP_HEADERS", "authorization=Bearer%20" + TOKEN)
                .env("OTEL_EXPORTER_OTLP_COMPRESSION", "none")
                .env("OTEL_SERVICE_NAME", "standalone-svc")
                .env("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=test,service.version=9.9.9")
                .outputTo(dir.resolve("out.txt"))
                .start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(dir.resolve("out.txt"));
        assertThat(process.exitValue()).as(output).isZero();

        List<LogRecord> records = receiver.acceptedRecords();
        assertThat(records).hasSize(300);
        assertThat(records.get(299).getBody().getStringValue()).isEqualTo("standalone entry");
        var exchange = receiver.server.exchanges.get(0);
        assertThat(exchange.request().getUrl().encodedPath()).isEqualTo("/v1/logs");
        assertThat(exchange.header("authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(exchange.header("Content-Encoding")).isEmpty();
        Map<String, String> resource = receiver.requests().get(0).getResourceLogs(0).getResource().getAttributesList()
                .stream().collect(Collectors.toMap(KeyValue::getKey, kv -> kv.getValue().getStringValue()));
        assertThat(resource).containsEntry("service.name", "standalone-svc")
                .containsEntry("deployment.environment.name", "test").containsEntry("service.version", "9.9.9");
        assertThat(output).doesNotContain(TOKEN);
    }
    @Test
    void aPlainMainWithoutTheExporterSaysWhyAndStillWritesItsFile() throws Exception {
        Path logs = dir.resolve("logs");
        Process process = ChildJvm.of(StandaloneMain.class, 5)
                .withoutClassPathEntries(File.separator + "opentelemetry" + File.separator)
                .env("LOG_BACKENDS", "otlp,file")
                .env("LOG_PERSISTENCE_FILE_DIRECTORY", logs)
                .env("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + receiver.server.port())
                .outputTo(dir.resolve("out.txt"))
                .start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(dir.resolve("out.txt"));
        assertThat(process.exitValue()).as(output).isZero();

        assertThat(output).contains("'otlp'").contains("io.opentelemetry:opentelemetry-exporter-otlp")
                .doesNotContain("NoClassDefFoundError");
        assertThat(receiver.server.exchanges).isEmpty();
        try (Stream<Path> files = Files.list(logs)) {
            Path week = files.filter(f -> f.getFileName().toString().endsWith(".json")).findFirst().orElseThrow();
            assertThat(Files.readAllLines(week)).hasSize(5);
        }
    }
}
