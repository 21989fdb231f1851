package io.persistencelog.engine;

import io.persistencelog.codec.Redactor;

import io.persistencelog.codec.Secrets;

import io.persistencelog.codec.JsonLineEncoder;

import static org.assertj.core.api.Assertions.assertThat;

import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactorTest {

    @Test
    void defaultPatternsMaskCommonSecretsIgnoringCaseAndSeparators() {
        Redactor r = Redactor.defaults();
        assertThat(r.isSensitive("password")).isTrue();
        assertThat(r.isSensitive("X-Api-Key")).isTrue();
        assertThat(r.isSensitive("apiKey")).isTrue();
        assertThat(r.isSensitive("accessToken")).isTrue();
        assertThat(r.isSensitive("Authorization")).isTrue();
        assertThat(r.isSensitive("session_cookie")).isTrue();
        assertThat(r.isSensitive("user_id")).isFalse();
        assertThat(r.isSensitive("path")).isFalse();
    }

    /**
     * Texts that are not structures (exception messages and stacks) are searched for named values only when
     * they mention a sensitive name: the mention is found whatever its case and separators, in a message or
     * deep in a long stack, and a text mentioning none comes back as the same instance.
     */
    @Test
    void namedValuesInExceptionTextsAreMaskedWhateverTheirCaseAndSeparators() {
        Redactor r = Redactor.defaults();
        Exception plain = new IllegalStateException("order 7 rejected: out of stock");
        assertThat(r.redactError(plain)).isSameAs(plain);

        Exception cause = new IllegalArgumentException("upstream said X-Api-KEY: k-123-abc");
        Exception failure = deepStack(40, new IllegalStateException("login failed, PASS_Word=hunter2", cause));
        Throwable masked = r.redactError(failure);
        String text = JsonLineEncoder.stackTrace(masked) + " " + masked.getMessage();
        assertThat(text).doesNotContain("hunter2").doesNotContain("k-123-abc").contains(Secrets.MASK)
                .contains("login failed");
    }

    private static Exception deepStack(int frames, Exception failure) {
        StackTraceElement[] stack = new StackTraceElement[frames];
        for (int i = 0; i < frames; i++) {
            stack[i] = new StackTraceElement("com.example.shop.OrderService" + i, "place", "OrderService.java", i);
        }
        failure.setStackTrace(stack);
        return failure;
    }

    @Test
    void backendsNeverSeeSensitiveValuesOfLoggedOrSubmittedEntries() {
        CollectingBackend backend = new CollectingBackend("c");
        AsyncPersistencePipeline pipeline = Pipelines.started(Pipelines.settings(100, OverflowPolicy.DROP), backend);
        pipeline.log(LogLevel.INFO, "t", "login", new Object[] { "user", "ann", "password", "hunter2",
                "headers", Map.of("Authorization", "Bearer abc", "Accept", "json") });
        pipeline.submit(new SimpleEntry(Map.of("api_key", "dd-123", "n", 1)));
        assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();

        Map<String, Object> logged = backend.entries.get(0).fields();
        assertThat(logged).containsEntry("user", "ann").containsEntry("password", Secrets.MASK);
        assertThat(logged.get("headers")).isEqualTo(Map.of("Authorization", Secrets.MASK, "Accept", "json"));
        assertThat(backend.entries.get(1).fields()).containsEntry("api_key", Secrets.MASK).containsEntry("n", 1);
        String line = new JsonLineEncoder(1000).encode(backend.entries.get(0)).toString();
        assertThat(line).doesNotContain("hunter2").doesNotContain("Bearer abc");
        pipeline.shutdown(Duration.ofSeconds(5));
    }

    @Test
    void redactionCanBeTurnedOff() {
        CollectingBackend backend = new CollectingBackend("c");
        AsyncPersistencePipeline pipeline = Pipelines.started(Pipelines.settings(100, OverflowPolicy.DROP), backend);
        pipeline.setRedactor(new Redactor(List.of()));
        pipeline.log(LogLevel.INFO, "t", "m", new Object[] { "token", "visible" });
        assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(backend.entries.get(0).fields()).containsEntry("token", "visible");
        pipeline.shutdown(Duration.ofSeconds(5));
    }

    private record SimpleEntry(Map<String, Object> fields) implements LogEntry {
        public Instant timestamp() {
            return Instant.EPOCH;
        }

        public LogLevel level() {
            return LogLevel.INFO;
        }

        public String logger() {
            return "simple";
        }

        public String message() {
            return "m";
        }

        public String thread() {
            return "main";
        }

        public Throwable error() {
            return null;
        }
    }
}
