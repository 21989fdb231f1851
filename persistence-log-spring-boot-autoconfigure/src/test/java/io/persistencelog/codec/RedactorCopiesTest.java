package io.persistencelog.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The redactor hands backends copies of whatever the application could still change after the call, and
 * passes on what nobody can change when nothing in it needed masking.
 */
class RedactorCopiesTest {

    private final Redactor redactor = Redactor.defaults();

    @Test
    void aContainerTheJdkMakesUnchangeableIsPassedOnWhenNothingInItIsMasked() {
        Map<String, Object> fixed = Map.of("region", "eu", "retry", Map.of("attempt", 2), "tags", List.of("a"));
        Map<String, Object> redacted = redactor.redact(Map.of("ctx", fixed, "one", Collections.singletonList("x")));
        assertThat(redacted.get("ctx")).isSameAs(fixed);
    }

    @Test
    void anUnchangeableContainerHoldingAChangeableOneIsCopiedWithIt() {
        Map<String, Object> live = new HashMap<>(Map.of("user", "ann"));
        List<Object> outer = List.of(live);
        Map<String, Object> redacted = redactor.redact(Map.of("list", outer,
                "single", Collections.singletonList(live), "view", Collections.unmodifiableMap(live)));
        live.put("password", "hunter2");

        for (String key : List.of("list", "single")) {
            List<?> copy = (List<?>) redacted.get(key);
            assertThat(copy).isNotSameAs(outer);
            assertThat(((Map<?, ?>) copy.get(0)).keySet()).hasSize(1).allMatch("user"::equals);
        }
        assertThat(((Map<?, ?>) redacted.get("view")).keySet()).hasSize(1).allMatch("user"::equals);
    }

    @Test
    void theEntrysOwnFieldMapIsCopiedOnlyWhenAValueIsMasked() {
        Map<String, Object> plain = new HashMap<>(Map.of("user", "ann"));
        assertThat(redactor.redactOwned(plain)).isSameAs(plain);
        Map<String, Object> secret = new HashMap<>(Map.of("password", "hunter2"));
        assertThat(redactor.redactOwned(secret)).isNotSameAs(secret).containsEntry("password", Secrets.MASK);
        // A map the library did not build is always copied.
        Map<String, Object> theirs = new HashMap<>(Map.of("user", "ann"));
        Map<String, Object> copy = redactor.redact(theirs);
        theirs.put("token", new ArrayList<>(List.of("Bearer abcdefghijklmnop0123456789")));
        assertThat(copy).containsOnlyKeys("user");
    }
}
