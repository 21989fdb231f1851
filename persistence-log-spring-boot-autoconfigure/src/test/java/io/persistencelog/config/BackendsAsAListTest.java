package io.persistencelog.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.persistencelog.autoconfigure.LogPersistenceAutoConfiguration;
import io.persistencelog.testing.TestSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.ByteArrayResource;

/**
 * {@code log-persistence.backends} written as a YAML list (the natural form in {@code application.yml}) or as
 * indexed properties selects those backends, in both modes, instead of being silently ignored for the default
 * {@code file}.
 */
class BackendsAsAListTest {

    @TempDir
    Path logs;

    @Test
    void aYamlListSelectsItsBackendsInASpringApplication() {
        String yaml = "log-persistence:\n  backends:\n    - file\n    - console\n";
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(LogPersistenceAutoConfiguration.class))
                .withPropertyValues("log-persistence.file.directory=" + logs)
                .withInitializer(context -> {
                    try {
                        new YamlPropertySourceLoader().load("application.yml",
                                new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8)))
                                .forEach(context.getEnvironment().getPropertySources()::addFirst);
                    }
                    catch (IOException ex) {
                        throw new IllegalStateException(ex);
                    }
                })
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(io.persistencelog.BackendRegistry.class).getActiveBackends())
                            .extracting(io.persistencelog.LogBackend::name).containsExactlyInAnyOrder("file", "console");
                });
    }

    @Test
    void indexedPropertiesSelectTheirBackendsInAPlainMain() {
        SettingsSource source = TestSettings.properties(Map.of("log-persistence.backends[0]", "file",
                "log-persistence.backends[1]", "Console"));
        LogPersistenceProperties core = source.bind(LogPersistenceProperties.PREFIX, LogPersistenceProperties.class);
        assertThat(PipelineAssembly.selectedBackends(source, core)).containsExactly("file", "console");
    }

    @Test
    void aCommaSeparatedValueAndLogBackendsKeepTheirMeaning() {
        SettingsSource source = TestSettings.source(Map.of("log-persistence.backends", " file , console "), Map.of());
        LogPersistenceProperties core = source.bind(LogPersistenceProperties.PREFIX, LogPersistenceProperties.class);
        assertThat(PipelineAssembly.selectedBackends(source, core)).containsExactly("file", "console");
        SettingsSource overridden = TestSettings.source(Map.of("log-persistence.backends", "file,console"),
                Map.of("LOG_BACKENDS", "console"));
        assertThat(PipelineAssembly.selectedBackends(overridden, core)).containsExactly("console");
        SettingsSource unset = TestSettings.properties(Map.of());
        assertThat(PipelineAssembly.selectedBackends(unset,
                unset.bind(LogPersistenceProperties.PREFIX, LogPersistenceProperties.class))).containsExactly("file");
    }
}
