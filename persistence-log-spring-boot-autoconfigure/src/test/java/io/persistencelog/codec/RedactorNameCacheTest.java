package io.persistencelog.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The redactor remembers its verdict per field name; long one-off names must not be pinned in memory. */
class RedactorNameCacheTest {

    @Test
    void longNamesAreJudgedButNotRemembered() {
        Redactor redactor = Redactor.defaults();
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < 50; i++) {
            String huge = "x-generated-" + i + "-" + "a".repeat(100_000);
            fields.put(huge, "plain");
            fields.put(huge + "-list", List.of("plain"));
        }
        fields.put("password" + "b".repeat(200), "hunter2");
        fields.put("user_id", 7);
        fields.put("tags", List.of("a"));

        Map<String, Object> redacted = redactor.redact(fields);

        assertThat(redacted.get("password" + "b".repeat(200))).isEqualTo(Secrets.MASK);
        assertThat(redacted.get("user_id")).isEqualTo(7);
        // Only the short names stay: user_id and tags by name, tags again as a header-like (list) value.
        assertThat(redactor.rememberedNames()).isEqualTo(3);
    }
}
