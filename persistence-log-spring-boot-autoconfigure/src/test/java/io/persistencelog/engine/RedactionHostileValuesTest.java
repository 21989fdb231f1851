package io.persistencelog.engine;

import io.persistencelog.codec.Redactor;

import io.persistencelog.codec.Secrets;

import io.persistencelog.codec.JsonLineEncoder;

import static org.assertj.core.api.Assertions.assertThat;

import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

/**
 * Issue #12 point 4, tried with hostile values: secrets hidden where a reviewer would hide them. Each case goes
 * through a real pipeline and the file's encoder, and asserts on the line the weekly file would hold.
 */
class RedactionHostileValuesTest {

    private static final String SECRET = "hunter2-s3cr3t";
    private static final String TOKEN = "abcdefghijklmnop0123456789";
    private static final String JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N";
    private static final String JWT_SIGNATURE = "dozjgNryP4J3jVmNHl0w5N";

    private record Credentials(String user, String password) {
    }

    private record Call(String url, String header) {
    }

    /** Logs through a real pipeline into a collecting backend and returns the line the file would hold. */
    private static String persistedLine(String message, Object... keyValues) {
        CollectingBackend backend = new CollectingBackend("c");
        AsyncPersistencePipeline pipeline = Pipelines.started(Pipelines.settings(100, OverflowPolicy.DROP), backend);
        try {
            pipeline.log(LogLevel.INFO, "t", message, keyValues);
            assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
            LogEntry entry = backend.entries.get(0);
            assertThat(entry.toString()).doesNotContain(SECRET).doesNotContain(TOKEN).doesNotContain(JWT_SIGNATURE);
            return new JsonLineEncoder(100_000).encode(entry).toString();
        }
        finally {
            pipeline.shutdown(Duration.ofSeconds(5));
        }
    }

    @Test
    void aListInsideAnArrayInsideAnOptionalInsideAnIntegerKeyedMap() {
        Map<Integer, Object> byNumber = new LinkedHashMap<>();
        byNumber.put(7, Optional.of(new Object[] { List.of(Map.of("password", SECRET), "Bearer " + TOKEN) }));
        String line = persistedLine("m", "nested", byNumber);
        assertThat(line).doesNotContain(SECRET).doesNotContain(TOKEN).contains("\"7\":");
    }

    @Test
    void httpHeadersInsideAList() {
        HttpHeaders headers = new HttpHeaders();
        headers.add("Authorization", "Basic dXNlcjpwYXNz");
        headers.add("X-Trace", "t1");
        String line = persistedLine("m", "calls", List.of(headers, Map.of("h", headers)));
        assertThat(line).doesNotContain("dXNlcjpwYXNz").contains("\"X-Trace\":[\"t1\"]");
    }

    @Test
    void aRecordWhoseToStringHoldsAPasswordOrAnAuthorizationHeader() {
        String line = persistedLine("m",
                "creds", new Credentials("ann", SECRET),
                "call", new Call("https://api", "Authorization: Basic dXNlcjpwYXNz"),
                "bearer", new Call("https://api", "Authorization: Bearer " + TOKEN));
        assertThat(line).doesNotContain(SECRET).doesNotContain("dXNlcjpwYXNz").doesNotContain(TOKEN)
                .contains("user=ann").contains("url=https://api");
    }

    @Test
    void stringArraysAsMapValues() {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("Authorization", new String[] { "Basic dXNlcjpwYXNz" });
        headers.put("dbs", new String[] { "postgres://app:" + SECRET + "@db/app" });
        headers.put("Accept", new String[] { "text/plain" });
        String line = persistedLine("m", "headers", headers);
        assertThat(line).doesNotContain("dXNlcjpwYXNz").doesNotContain(SECRET).contains("\"Accept\":[\"text/plain\"]");
    }

    @Test
    void aJwtInTheMessageAndInAnExceptionMessageAndItsStack() {
        IllegalStateException cause = new IllegalStateException("rejected token " + JWT);
        RuntimeException error = new RuntimeException("call failed with Authorization: Bearer " + TOKEN, cause);
        String line = persistedLine("token " + JWT, "k", "v", error);
        assertThat(line).doesNotContain(JWT_SIGNATURE).doesNotContain(TOKEN)
                .contains("\"type\":\"java.lang.RuntimeException\"")
                .contains("\"stack\":\"java.lang.RuntimeException: call failed")
                .contains("Caused by: java.lang.IllegalStateException: rejected token " + Secrets.MASK);
    }

    @Test
    void anExceptionAsAFieldValueIsMaskedToo() {
        String line = persistedLine("m", "failure", new IllegalArgumentException("password=" + SECRET));
        assertThat(line).doesNotContain(SECRET).contains("java.lang.IllegalArgumentException");
    }

    @Test
    void aCyclicMapEndsAndStaysMasked() {
        Map<String, Object> cyclic = new LinkedHashMap<>();
        cyclic.put("password", SECRET);
        cyclic.put("self", cyclic);
        List<Object> list = new ArrayList<>();
        list.add(list);
        list.add("Bearer " + TOKEN);
        String line = persistedLine("m", "cyclic", cyclic, "list", list);
        assertThat(line).doesNotContain(SECRET).doesNotContain(TOKEN).endsWith("}\n");
    }

    @Test
    void aShortBearerToken() {
        String line = persistedLine("Authorization: Bearer abc1234", "h", "Bearer xyz7890");
        assertThat(line).doesNotContain("abc1234").doesNotContain("xyz7890");
    }

    @Test
    void aUrlPasswordThatHoldsAnAtSign() {
        String line = persistedLine("connecting to redis://user:pa@ss@cache:6379/0",
                "db", "postgres://app:p@ss@w0rd@db.internal:5432/app");
        assertThat(line).doesNotContain("ss@cache").doesNotContain("w0rd")
                .contains("redis://user:" + Secrets.MASK + "@cache:6379/0")
                .contains("postgres://app:" + Secrets.MASK + "@db.internal:5432/app");
    }

    @Test
    void aPasswordInAUrlQuery() {
        String line = persistedLine("m", "jdbc", "jdbc:postgresql://db/app?user=app&password=" + SECRET + "&ssl=true");
        assertThat(line).doesNotContain(SECRET).contains("ssl=true");
    }

    @Test
    void aHugeStructureIsCutAtTheWalksBudgetWithAMarkerAndItsStringsAreStillMasked() {
        List<Object> inner = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            inner.add(Map.of("k", "v" + i));
        }
        List<Object> outer = new ArrayList<>();
        for (int i = 0; i < 999; i++) {
            outer.add(inner); // 999 x 201 containers: past the walk's budget of 100,000
        }
        outer.add("Bearer " + TOKEN);
        Map<String, Object> redacted = Redactor.defaults().redact(Map.of("huge", outer));
        @SuppressWarnings("unchecked")
        List<Object> result = (List<Object>) redacted.get("huge");
        assertThat(result).hasSize(1000).contains(Redactor.BUDGET_MARKER);
        // Examined, nothing to mask: passed on as a copy of what was examined (the caller may change it later).
        assertThat(result.get(0)).isEqualTo(inner).isNotSameAs(inner);
        assertThat(result.get(998)).isEqualTo(Redactor.BUDGET_MARKER);
        assertThat(result.get(999)).isEqualTo("Bearer " + Secrets.MASK);
    }
}
