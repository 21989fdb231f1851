package io.persistencelog.readme;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static org.assertj.core.api.Assertions.assertThat;

import io.persistencelog.BackendContext;
import io.persistencelog.BackendProviderSupport;
import io.persistencelog.BatchLogBackend;
import io.persistencelog.BatchResult;
import io.persistencelog.LogBackendProvider;
import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import io.persistencelog.autoconfigure.LogPersistenceAutoConfiguration;
import io.persistencelog.codec.ByteSink;
import io.persistencelog.codec.JsonLineEncoder;
import io.persistencelog.config.BackendProviders;
import io.persistencelog.engine.AsyncPersistencePipeline;
import io.persistencelog.standalone.StandalonePipeline;
import io.persistencelog.testing.TestSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The example backend of README's "Adding a backend", as written there, registered as README says (one line
 * in {@code META-INF/services/io.persistencelog.LogBackendProvider}) and run in a plain main's assembly and in
 * a Spring application.
 */
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

    /** A class path holding only the registration line README asks for. */
    private ClassLoader registered() throws IOException {
        Path services = Files.createDirectories(dir.resolve("classpath/META-INF/services"));
        Files.writeString(services.resolve(LogBackendProvider.class.getName()),
                AuditBackendProvider.class.getName() + "\n");
        return new URLClassLoader(new URL[] { dir.resolve("classpath").toUri().toURL() }, getClass().getClassLoader());
    }

    @Test
    void registeredByItsServiceLineItRunsInAPlainMainFromAnEnvironmentVariable() throws IOException {
        Path file = dir.resolve("plain.jsonl");
        AsyncPersistencePipeline pipeline = StandalonePipeline.build(TestSettings.source(
                Map.of("log-persistence.file.directory", dir.toString()),
                Map.of("LOG_BACKENDS", "file,audit", "LOG_PERSISTENCE_AUDIT_FILE", file.toString())),
                BackendProviders.load(registered()), Clock.systemUTC());
        pipeline.start();
        pipeline.log(LogLevel.INFO, "billing", "from a plain main", null);
        assertThat(pipeline.flush(Duration.ofSeconds(5))).isTrue();
        pipeline.shutdown(Duration.ofSeconds(5));
        assertThat(Files.readAllLines(file)).singleElement().asString().contains("\"message\":\"from a plain main\"");
    }

    @Test
    void registeredByItsServiceLineItRunsInASpringApplicationFromApplicationProperties() throws IOException {
        Path file = dir.resolve("spring.jsonl");
        new ApplicationContextRunner().withClassLoader(registered())
                .withConfiguration(AutoConfigurations.of(LogPersistenceAutoConfiguration.class))
                .withPropertyValues("log-persistence.file.directory=" + dir, "log-persistence.backends=file,audit",
                        "log-persistence.audit.file=" + file)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    AsyncPersistencePipeline pipeline = context.getBean(AsyncPersistencePipeline.class);
                    pipeline.log(LogLevel.INFO, "billing", "from Spring", null);
                    assertThat(pipeline.flush(Duration.ofSeconds(5))).isTrue();
                });
        assertThat(Files.readAllLines(file)).singleElement().asString().contains("\"message\":\"from Spring\"");
    }

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
