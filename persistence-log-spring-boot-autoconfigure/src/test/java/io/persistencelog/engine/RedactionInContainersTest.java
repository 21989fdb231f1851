package io.persistencelog.engine;

import io.persistencelog.codec.Redactor;

import io.persistencelog.codec.Secrets;

import io.persistencelog.codec.ByteSink;

import io.persistencelog.codec.JsonLineEncoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.util.LinkedMultiValueMap;

/** Issue #12 point 4: secrets are masked wherever the encoder writes them, not only in top-level maps. */
class RedactionInContainersTest {

    private static final String SECRET = "hunter2-s3cr3t";
    private static final String TOKEN = "abcdefghijklmnop0123456789";
    private static final String JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N";

    /** Logs through a real pipeline into a collecting backend and returns the line the file would hold. */
    private static String persistedLine(Object... keyValues) {
        CollectingBackend backend = new CollectingBackend("c");
        AsyncPersistencePipeline pipeline = Pipelines.started(Pipelines.settings(100, OverflowPolicy.DROP), backend);
        try {
            pipeline.log(LogLevel.INFO, "t", "m", keyValues);
            assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
            return new JsonLineEncoder(10_000).encode(backend.entries.get(0)).toString();
        }
        finally {
            pipeline.shutdown(Duration.ofSeconds(5));
        }
    }

    @Test
    void secretsInsideListsArraysOptionalsSetsAndNonStringKeyedMapsAreMasked() {
        Map<Object, Object> byNumber = new LinkedHashMap<>();
        byNumber.put(1, Map.of("password", SECRET));
        Set<Object> set = new LinkedHashSet<>(List.of(Map.of("apiKey", SECRET)));
        String line = persistedLine(
                "list", List.of(Map.of("password", SECRET, "user", "ann")),
                "array", new Object[] { Map.of("token", SECRET) },
                "optional", Optional.of(Map.of("secret", SECRET)),
                "set", set,
                "byNumber", byNumber,
                "deep", List.of(List.of(Map.of("inner", List.of(Map.of("credentials", SECRET))))));
        assertThat(line).doesNotContain(SECRET).contains("\"user\":\"ann\"").contains(Secrets.MASK);
    }

    @Test
    void springHttpHeadersAreWrittenAsHeadersWithCredentialsMasked() {
        HttpHeaders headers = new HttpHeaders();
        headers.add("Authorization", "Bearer " + TOKEN);
        headers.add("Proxy-Authorization", "Basic dXNlcjpwYXNz");
        headers.add("Cookie", "SESSION=" + SECRET);
        headers.add("Set-Cookie", "id=" + SECRET);
        headers.add("X-Api-Key", SECRET);
        headers.add("Accept", "application/json");
        String line = persistedLine("headers", headers);
        assertThat(line).doesNotContain(TOKEN).doesNotContain(SECRET).doesNotContain("dXNlcjpwYXNz")
                .contains("\"Accept\":[\"application/json\"]");
    }

    @Test
    void headerNamesAreMaskedInHeaderContainersEvenWithCustomPatterns() {
        Redactor onlySsn = new Redactor(List.of("ssn"));
        LinkedMultiValueMap<String, String> multi = new LinkedMultiValueMap<>();
        multi.add("Authorization", "Basic dXNlcjpwYXNz");
        multi.add("X-Trace", "t1");
        Map<String, List<String>> plain = Map.of("Cookie", List.of("SESSION=" + SECRET));
        HttpHeaders headers = new HttpHeaders();
        headers.add("X-Api-Key", SECRET);
        LogEntry redacted = onlySsn.wrap(entry(Map.of("multi", multi, "plain", plain, "headers", headers,
                "ssn", "123")));
        String line = new JsonLineEncoder(10_000).encode(redacted).toString();
        assertThat(line).doesNotContain(SECRET).doesNotContain("dXNlcjpwYXNz").doesNotContain("123")
                .contains("\"X-Trace\":[\"t1\"]");
    }

    @Test
    void aHeaderNameIsJudgedByItsValueEachTimeItComesBack() {
        // The redactor remembers its verdict per name: a name first seen with a plain value (not a header
        // there) must still be masked when it later holds a header-like list, and the other way round.
        Redactor onlySsn = new Redactor(List.of("ssn"));
        JsonLineEncoder encoder = new JsonLineEncoder(10_000);
        for (int round = 0; round < 2; round++) {
            String plain = encoder.encode(onlySsn.wrap(entry(Map.of("Cookie", "flavour: oatmeal")))).toString();
            String listed = encoder.encode(onlySsn.wrap(entry(Map.of("Cookie", List.of("SESSION=" + SECRET)))))
                    .toString();
            assertThat(plain).as("round %d", round).contains("oatmeal");
            assertThat(listed).as("round %d", round).doesNotContain(SECRET).contains(Secrets.MASK);
        }
    }

    @Test
    void secretShapedValuesAreMaskedWhateverTheirKey() {
        String line = persistedLine(
                "h", "Bearer " + TOKEN,
                "jwt_like", "token is " + JWT,
                "db", "postgres://app:" + SECRET + "@db.internal:5432/app",
                "list", List.of("Bearer " + TOKEN),
                "uri", java.net.URI.create("https://bob:" + SECRET + "@example.org/x"),
                "plainUrl", "https://example.org/a@b");
        assertThat(line).doesNotContain(TOKEN).doesNotContain("dozjgNryP4J3jVmNHl0w5N").doesNotContain(SECRET)
                .contains("postgres://app:" + Secrets.MASK + "@db.internal:5432/app")
                .contains("https://example.org/a@b");
    }

    @Test
    void secretShapedTextInTheMessageIsMasked() {
        CollectingBackend backend = new CollectingBackend("c");
        AsyncPersistencePipeline pipeline = Pipelines.started(Pipelines.settings(100, OverflowPolicy.DROP), backend);
        pipeline.log(LogLevel.INFO, "t", "calling with Authorization: Bearer " + TOKEN, null);
        pipeline.submit(entry(Map.of()));
        assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
        pipeline.shutdown(Duration.ofSeconds(5));
        assertThat(backend.entries.get(0).message()).doesNotContain(TOKEN).contains("Bearer " + Secrets.MASK);
        assertThat(backend.entries.get(1).message()).doesNotContain(SECRET);
    }

    @Test
    void extendedDefaultPatterns() {
        Redactor r = Redactor.defaults();
        for (String name : List.of("passwd", "db_pwd", "credentials", "private_key", "privateKey", "jwt",
                "bearer", "sessionId", "JSESSIONID")) {
            assertThat(r.isSensitive(name)).as(name).isTrue();
        }
        assertThat(r.isSensitive("user_id")).isFalse();
    }

    @Test
    void entriesPrintedBecauseTheQueueIsFullAreRedactedToo() {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
        DefaultBackendRegistry registry = new DefaultBackendRegistry(Set.of("c"));
        registry.register(new CollectingBackend("c"));
        AsyncPersistencePipeline pipeline = new AsyncPersistencePipeline(Pipelines.settings(100, OverflowPolicy.DROP),
                registry, out, out);
        pipeline.start();
        pipeline.shutdown(Duration.ofSeconds(5));
        // Not accepted any more: both go to the overflow console, a logged one and a captured one.
        pipeline.log(LogLevel.INFO, "t", "logged", new Object[] { "password", SECRET, "l", List.of(Map.of("token",
                SECRET)) });
        pipeline.submit(entry(Map.of("password", SECRET, "headers", Map.of("Authorization", List.of("x-" + SECRET)))));
        await().atMost(Duration.ofSeconds(10)).until(() -> console.toString(StandardCharsets.UTF_8)
                .split("persistence-log dropped:", -1).length == 3);
        assertThat(console.toString(StandardCharsets.UTF_8)).doesNotContain(SECRET).contains(Secrets.MASK);
    }

    @Test
    void aListThatHoldsItselfManyTimesYieldsABoundedLine() {
        List<Object> self = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            self.add(self);
        }
        self.add("password=" + SECRET);
        String line = persistedLine("loop", self, "after", "kept");
        assertThat(line.length()).isLessThan(4 << 20);
        assertThat(line).contains("\"after\":\"kept\"").endsWith("}\n");
        // Without redaction too: the encoder bounds the line on its own.
        String raw = new JsonLineEncoder(10_000).encode(entry(Map.of("loop", self))).toString();
        assertThat(raw.length()).isLessThan(4 << 20);
        assertThat(raw).contains(JsonLineEncoder.BUDGET_EXCEEDED);
    }

    @Test
    void byteSinkGivesBackItsMemoryAfterOneHugeLine() {
        JsonLineEncoder encoder = new JsonLineEncoder(8 << 20);
        ByteSink huge = encoder.encode(entry(Map.of("big", "x".repeat(4 << 20))));
        assertThat(huge.capacity()).isGreaterThan(4 << 20);
        ByteSink small = encoder.encode(entry(Map.of("n", 1)));
        assertThat(small.capacity()).isLessThanOrEqualTo(ByteSink.RETAINED_CAPACITY);
        assertThat(small.toString()).contains("\"n\":1");
    }

    static LogEntry entry(Map<String, Object> fields) {
        return new LogEntry() {
            public Instant timestamp() {
                return Instant.EPOCH;
            }

            public LogLevel level() {
                return LogLevel.INFO;
            }

            public String logger() {
                return "captured";
            }

            public String message() {
                return "token in url https://u:" + SECRET + "@h/";
            }

            public String thread() {
                return "main";
            }

            public Map<String, Object> fields() {
                return fields;
            }

            public @Nullable Throwable error() {
                return null;
            }
        };
    }
}
