package io.persistencelog.readme;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static org.assertj.core.api.Assertions.assertThat;

import io.persistencelog.BackendContext;
import io.persistencelog.BackendProviderSupport;
import io.persistencelog.BatchLogBackend;
import io.persistencelog.BatchResult;
import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import io.persistencelog.codec.ByteSink;
import io.persistencelog.codec.JsonLineEncoder;
import io.persistencelog.config.BackendProviders;
import io.persistencelog.engine.AsyncPersistencePipeline;
import io.persistencelog.standalone.StandalonePipeline;
import io.persistencelog.testing.TestSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** The example backend of README's "Adding a backend", as written there, run in a plain main's assembly. */
class ReadmeAuditBackendTest {

    @ConfigurationProperties("log-persistence.audit")
    public record AuditProperties(@DefaultValue("audit.jsonl") Path file) { }

    public static final class AuditBackend extends BatchLogBackend {
        private final Path file;
        private final JsonLineEncoder encoder;

        AuditBackend(AuditProperties settings, BackendContext context) {
            this.file = settings.file();
            this.encoder = context.encoder();
        }

        public String name() { return "audit"; }

        public BatchResult writeBatch(List<LogEntry> entries) {
            try (OutputStream out = Files.newOutputStream(file, CREATE, APPEND)) {
                for (LogEntry entry : entries) {
                    ByteSink line = encoder.encode(entry);
                    out.write(line.array(), 0, line.size());
                }
                return BatchResult.persisted(entries.size());
            }
            catch (IOException ex) {
                return BatchResult.failed(entries.size(), ex.toString());
            }
        }
    }

    public static final class AuditBackendProvider extends BackendProviderSupport<AuditProperties> {
        public AuditBackendProvider() {
            super("audit", AuditProperties.class, AuditBackend::new);
        }
    }

    @TempDir
    Path dir;

    @Test
    void theExampleBackendRunsFromItsSettings() throws IOException {
        Path file = dir.resolve("audit.jsonl");
        AsyncPersistencePipeline pipeline = StandalonePipeline.build(
                TestSettings.source(Map.of(), Map.of("LOG_BACKENDS", "audit", "LOG_PERSISTENCE_AUDIT_FILE", file.toString())),
                BackendProviders.load(getClass().getClassLoader(), List.of(new AuditBackendProvider())),
                Clock.systemUTC());
        pipeline.start();
        pipeline.log(LogLevel.INFO, "billing", "invoice sent", new Object[] { "invoice", 42 });
        assertThat(pipeline.flush(Duration.ofSeconds(5))).isTrue();
        pipeline.shutdown(Duration.ofSeconds(5));

        assertThat(Files.readAllLines(file)).singleElement().asString().contains("\"message\":\"invoice sent\"")
                .contains("\"invoice\":42");
    }
}
