package io.persistencelog.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.persistencelog.LogLevel;
import io.persistencelog.codec.JsonLineEncoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The backends write an entry after the call returned, on other threads: a container the application keeps
 * changing after the call must be written as it was examined for secrets.
 */
class DispatcherContainerSnapshotTest {

    private static final String SECRET = "hunter2-s3cr3t";
    private static final String TOKEN = "abcdefghijklmnop0123456789";

    @Test
    void aMapOrListFilledAfterTheCallNeverReachesABackendUnmasked() throws Exception {
        CollectingBackend backend = new CollectingBackend("c");
        Pipelines.withStarted(backend, pipeline -> {
            Map<String, Object> context = new HashMap<>();
            context.put("user", "ann");
            List<String> notes = new ArrayList<>(List.of("start"));
            pipeline.log(LogLevel.INFO, "t", "m", new Object[] { "ctx", context, "notes", notes });
            assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
            context.put("password", SECRET);
            notes.add("Bearer " + TOKEN);
            String line = new JsonLineEncoder(100_000).encode(backend.entries.get(0)).toString();
            assertThat(line).doesNotContain(SECRET).doesNotContain(TOKEN);
        });
    }

    @Test
    void aReadOnlyViewOfAMapFilledAfterTheCallIsCopiedToo() throws Exception {
        CollectingBackend backend = new CollectingBackend("c");
        Pipelines.withStarted(backend, pipeline -> {
            Map<String, Object> live = new HashMap<>();
            live.put("user", "ann");
            Set<String> tags = new java.util.HashSet<>(Set.of("a"));
            pipeline.log(LogLevel.INFO, "t", "m", new Object[] { "ctx", java.util.Collections.unmodifiableMap(live),
                "tags", java.util.Collections.unmodifiableSet(tags), "fixed", Map.of("k", List.of("v")) });
            assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
            live.put("password", SECRET);
            tags.add("Bearer " + TOKEN);
            String line = new JsonLineEncoder(100_000).encode(backend.entries.get(0)).toString();
            assertThat(line).doesNotContain(SECRET).doesNotContain(TOKEN).contains("\"fixed\":{\"k\":[\"v\"]}");
        });
    }
}
