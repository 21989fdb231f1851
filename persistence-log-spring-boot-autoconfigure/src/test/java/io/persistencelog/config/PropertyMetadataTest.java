package io.persistencelog.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.persistencelog.LogBackendProvider;
import io.persistencelog.capture.CaptureSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.ConfigurationProperties;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * IDE completion stays complete as backends are added: every built-in provider's settings type carries
 * {@code @ConfigurationProperties} at the provider's prefix, the generated metadata describes each of its
 * settings, and the defaults written by hand in the additional metadata (which backends spool, which
 * loggers capture skips) are the ones the providers declare.
 */
class PropertyMetadataTest {

    private final BackendProviders providers = BackendProviders.load(getClass().getClassLoader());

    private JsonNode metadata() throws IOException {
        for (URL url : Collections.list(getClass().getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
            try (InputStream in = url.openStream()) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                if (text.contains("\"io.persistencelog.config.LogPersistenceProperties\"")) {
                    return JsonMapper.builder().build().readTree(text);
                }
            }
        }
        throw new AssertionError("the module's generated metadata is not on the class path");
    }

    private static Map<String, JsonNode> byName(JsonNode array) {
        Map<String, JsonNode> named = new HashMap<>();
        array.forEach(node -> named.put(node.get("name").asString(), node));
        return named;
    }

    private static String kebab(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    @Test
    void everyProvidersSettingsAreDescribedUnderItsPrefix() throws IOException {
        JsonNode metadata = metadata();
        Map<String, JsonNode> groups = byName(metadata.get("groups"));
        Map<String, JsonNode> properties = byName(metadata.get("properties"));
        List<String> missing = new ArrayList<>();
        for (LogBackendProvider<?> provider : providers.all()) {
            Class<?> type = provider.settingsType();
            if (!type.isRecord() || type.getRecordComponents().length == 0) {
                continue; // nothing to configure (console)
            }
            ConfigurationProperties annotation = type.getAnnotation(ConfigurationProperties.class);
            assertThat(annotation).as(type.getName() + " is annotated @ConfigurationProperties").isNotNull();
            assertThat(annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix())
                    .as(type.getName()).isEqualTo(provider.prefix());
            JsonNode group = groups.get(provider.prefix());
            assertThat(group).as("metadata group " + provider.prefix()).isNotNull();
            assertThat(group.get("type").asString()).isEqualTo(type.getName());
            for (var component : type.getRecordComponents()) {
                String name = provider.prefix() + "." + kebab(component.getName());
                if (!properties.containsKey(name) && !groups.containsKey(name)) {
                    missing.add(name);
                }
                else if (properties.containsKey(name) && !properties.get(name).hasNonNull("description")) {
                    missing.add(name + " (no description)");
                }
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void theHandWrittenDefaultsAreTheProvidersOwn() throws IOException {
        Map<String, JsonNode> properties = byName(metadata().get("properties"));
        assertThat(strings(properties.get("log-persistence.spool.backends").get("defaultValue")))
                .isEqualTo(providers.spoolingByDefault());
        assertThat(strings(properties.get("log-persistence.capture.exclude-loggers").get("defaultValue")))
                .isEqualTo(new LinkedHashSet<>(CaptureSettings.DEFAULT_EXCLUDED_LOGGERS));
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> values = new LinkedHashSet<>();
        array.forEach(node -> values.add(node.asString()));
        return values;
    }
}
