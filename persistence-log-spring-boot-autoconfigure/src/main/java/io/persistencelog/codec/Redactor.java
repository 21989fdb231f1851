package io.persistencelog.codec;

import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Masks the values of fields whose names look sensitive, before any backend sees the entry. A name matches
 * a pattern when, ignoring case and the separators {@code _ - .}, it contains it: {@code api_key} masks
 * {@code X-Api-Key}, {@code apiKey} and {@code stripe.api_key}; {@code token} masks {@code accessToken}.
 * Nested maps are masked too.
 */
public final class Redactor {

    public static final List<String> DEFAULT_PATTERNS = List.of("password", "secret", "token", "authorization",
            "api_key", "cookie");
    public static final Redactor NONE = new Redactor(List.of());
    private static final int MAX_DEPTH = 8;

    private static final int MAX_REMEMBERED = 4096;

    private final String[] patterns;
    private final Map<String, Boolean> verdicts = new java.util.concurrent.ConcurrentHashMap<>();

    public Redactor(List<String> patterns) {
        this.patterns = patterns.stream().map(Redactor::normalize).filter(p -> !p.isEmpty()).distinct()
                .toArray(String[]::new);
    }

    public static Redactor defaults() {
        return new Redactor(DEFAULT_PATTERNS);
    }

    public boolean isActive() {
        return patterns.length > 0;
    }

    public boolean isSensitive(String fieldName) {
        if (patterns.length == 0) {
            return false;
        }
        Boolean known = verdicts.get(fieldName);
        if (known != null) {
            return known;
        }
        boolean sensitive = matches(fieldName);
        if (verdicts.size() < MAX_REMEMBERED) {
            verdicts.put(fieldName, sensitive); // field names repeat: decide each once, without garbage after
        }
        return sensitive;
    }

    private boolean matches(String fieldName) {
        String name = normalize(fieldName);
        for (String pattern : patterns) {
            if (name.contains(pattern)) {
                return true;
            }
        }
        return false;
    }

    /** The same map when nothing is sensitive, else an unmodifiable copy with masked values. */
    public Map<String, Object> redact(Map<String, Object> fields) {
        return redact(fields, 0);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> redact(Map<String, Object> fields, int depth) {
        if (!isActive() || depth >= MAX_DEPTH || !needsRedaction(fields, depth)) {
            return fields;
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        fields.forEach((key, value) -> {
            if (isSensitive(key)) {
                copy.put(key, Secrets.MASK);
            }
            else if (value instanceof Map<?, ?> nested && allStringKeys(nested)) {
                copy.put(key, redact((Map<String, Object>) nested, depth + 1));
            }
            else {
                copy.put(key, value);
            }
        });
        return java.util.Collections.unmodifiableMap(copy);
    }

    @SuppressWarnings("unchecked")
    private boolean needsRedaction(Map<String, Object> fields, int depth) {
        try {
            for (Map.Entry<String, Object> e : fields.entrySet()) {
                if (isSensitive(e.getKey())) {
                    return true;
                }
                if (depth + 1 < MAX_DEPTH && e.getValue() instanceof Map<?, ?> nested && allStringKeys(nested)
                        && needsRedaction((Map<String, Object>) nested, depth + 1)) {
                    return true;
                }
            }
            return false;
        }
        catch (RuntimeException ex) {
            return false; // a hostile map: the encoder reports it
        }
    }

    private static boolean allStringKeys(Map<?, ?> map) {
        for (Object key : map.keySet()) {
            if (!(key instanceof String)) {
                return false;
            }
        }
        return true;
    }

    /** A view of any entry whose fields are masked on first access (on the backend's thread, not here). */
    public LogEntry wrap(LogEntry entry) {
        return isActive() && !(entry instanceof QueuedLogEntry) ? new RedactedEntry(entry, this) : entry;
    }

    private static String normalize(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c != '_' && c != '-' && c != '.') {
                out.append(Character.toLowerCase(c));
            }
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }

    private static final class RedactedEntry implements LogEntry {
        private final LogEntry delegate;
        private final Redactor redactor;
        private volatile @Nullable Map<String, Object> fields;

        RedactedEntry(LogEntry delegate, Redactor redactor) {
            this.delegate = delegate;
            this.redactor = redactor;
        }

        @Override
        public Instant timestamp() {
            return delegate.timestamp();
        }

        @Override
        public long epochMillis() {
            return delegate.epochMillis();
        }

        @Override
        public LogLevel level() {
            return delegate.level();
        }

        @Override
        public String logger() {
            return delegate.logger();
        }

        @Override
        public String message() {
            return delegate.message();
        }

        @Override
        public String thread() {
            return delegate.thread();
        }

        @Override
        public Map<String, Object> fields() {
            Map<String, Object> f = fields;
            if (f == null) {
                f = redactor.redact(delegate.fields());
                fields = f;
            }
            return f;
        }

        @Override
        public @Nullable Throwable error() {
            return delegate.error();
        }

        @Override
        public String toString() {
            return delegate.toString();
        }
    }
}
