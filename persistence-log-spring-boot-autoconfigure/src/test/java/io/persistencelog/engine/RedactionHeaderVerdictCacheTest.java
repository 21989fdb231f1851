package io.persistencelog.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.persistencelog.LogEntry;
import io.persistencelog.codec.JsonLineEncoder;
import io.persistencelog.codec.Redactor;
import io.persistencelog.codec.Secrets;
import io.persistencelog.testing.Entries;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

/**
 * The redactor remembers per name whether a header-like value (a list, an array, Spring's {@code HttpHeaders})
 * is sensitive, up to a bound: names differing only in case or separators, custom patterns, and names first
 * seen once the memory is full must all still be judged right.
 */
class RedactionHeaderVerdictCacheTest {

    private static final String SECRET = "hunter2-s3cr3t";
    private final JsonLineEncoder encoder = new JsonLineEncoder(10_000);

    /** How the README says names are compared: case and the separators {@code _ - .} ignored. */
    private static String folded(String name) {
        return name.toLowerCase(java.util.Locale.ROOT).replaceAll("[-_.]", "");
    }

    private static boolean namedByPattern(String name, List<String> patterns) {
        return patterns.stream().anyMatch(p -> folded(name).contains(folded(p)));
    }

    private String line(Redactor r, Object... kv) {
        LogEntry e = Entries.entry("m", kv).plain();
        return encoder.encode(r.wrap(e)).toString();
    }

    @Test
    void afterTheCacheIsFullEveryNameIsStillJudged() {
        for (List<String> patterns : List.of(Redactor.DEFAULT_PATTERNS, List.of("ssn"), List.of("SSN", "my_Thing"))) {
            Redactor r = new Redactor(patterns);
            for (int round = 0; round < 3; round++) {
                // More distinct names than the redactor remembers (4,096): later names are judged each time.
                Map<String, Object> headers = new LinkedHashMap<>();
                for (int i = 0; i < 5_000; i++) {
                    headers.put("X-Junk-" + round + "-" + i, List.of("v"));
                }
                line(r, "h", headers);
                for (String name : List.of("Cookie", "COOKIE", "co_okie", "Set-Cookie", "set_cookie", "X-Api-Key",
                        "x_api_key", "XAPIKEY", "Proxy-Authorization", "x-amz-security-token", "SSN", "s_s_n",
                        "MyThing", "my-thing")) {
                    boolean expected = Redactor.SENSITIVE_HEADERS.contains(folded(name))
                            || namedByPattern(name, patterns);
                    String listed = line(r, name, List.of(SECRET));
                    String arrayed = line(r, "outer", Map.of(name, new String[] { SECRET }));
                    HttpHeaders http = new HttpHeaders();
                    http.add(name, SECRET);
                    String spring = line(r, "headers", http);
                    for (String l : List.of(listed, arrayed, spring)) {
                        if (expected) {
                            assertThat(l).as(patterns + " " + name).doesNotContain(SECRET).contains(Secrets.MASK);
                        }
                        else {
                            assertThat(l).as(patterns + " " + name).contains(SECRET);
                        }
                    }
                    // A plain string under a header name is judged by the patterns only.
                    String plain = line(r, name, "v=" + SECRET);
                    assertThat(plain.contains(SECRET)).as(patterns + " plain " + name)
                            .isEqualTo(!namedByPattern(name, patterns));
                }
            }
        }
    }
}
