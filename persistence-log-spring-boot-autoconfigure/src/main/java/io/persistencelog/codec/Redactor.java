package io.persistencelog.codec;

import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

// Longer than 350 lines on purpose: masking by name, by value shape and inside every container the encoder descends into,
// within the same bounds as the encoder, must be read together to see that nothing written is left unexamined.
/**
 * Masks secrets before any backend sees an entry.
 *
 * <p>By name: the value of a field whose name looks sensitive is replaced. A name matches a pattern when,
 * ignoring case and the separators {@code _ - .}, it contains it: {@code api_key} masks {@code X-Api-Key},
 * {@code apiKey} and {@code stripe.api_key}; {@code token} masks {@code accessToken}. This holds at every
 * level the encoder descends into: nested maps (whatever their key type), lists and other collections,
 * arrays, {@code Optional}, and header containers ({@code Map<String, List<String>>}, any
 * {@code MultiValueMap}, Spring's {@code HttpHeaders}, which is no {@code Map} since Spring Framework 7), where
 * the well-known credential headers ({@link #SENSITIVE_HEADERS}) are masked whatever the patterns say.
 *
 * <p>By value: strings that are secrets whatever their key ({@code Bearer <token>}, JWTs, the password in
 * {@code scheme://user:password@host}) are masked inside any string value and in the message.
 *
 * <p>The walk is bounded like the encoder's (depth, items per container) plus a total budget of containers, so
 * a structure that contains itself many times cannot make it run for ever; a container past the budget is
 * replaced by a marker, never passed on unexamined (strings and numbers are still examined and kept).
 */
public final class Redactor {

    public static final List<String> DEFAULT_PATTERNS = List.of("password", "passwd", "pwd", "secret", "token",
            "authorization", "api_key", "cookie", "credential", "private_key", "jwt", "bearer", "session");
    /** Header names (normalized) masked inside header containers even when no pattern names them. */
    public static final Set<String> SENSITIVE_HEADERS = Set.of("authorization", "proxyauthorization", "cookie",
            "setcookie", "xapikey", "apikey", "xauthtoken", "xaccesstoken", "xcsrftoken", "xxsrftoken",
            "xamzsecuritytoken", "xgoogapikey", "ocpapimsubscriptionkey", "xvaulttoken", "privatetoken");
    public static final Redactor NONE = new Redactor(List.of());
    /** Marker for what a structure held past the walk's budget (not examined, so not passed on). */
    public static final String BUDGET_MARKER = "<not examined: entry too large>";
    private static final int MAX_DEPTH = JsonLineEncoder.MAX_DEPTH;
    private static final int MAX_ITEMS = JsonLineEncoder.MAX_ITEMS;
    /** Most containers and values examined per entry. */
    static final int MAX_NODES = 100_000;
    private static final String HTTP_HEADERS_CLASS = "org.springframework.http.HttpHeaders";

    // Any length: a short token is still a credential, and masking the word after "Bearer" in prose costs
    // nothing but that word.
    private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer)\\s+[A-Za-z0-9\\-._~+/]+=*");
    private static final Pattern JWT = Pattern.compile(
            "\\beyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*");
    // Greedy up to the last '@' before the path: a password that holds an unencoded '@' ("pa@ss") is masked
    // whole, not cut at its first '@'.
    private static final Pattern URL_PASSWORD = Pattern.compile(
            "\\b([A-Za-z][A-Za-z0-9+.\\-]*://[^/\\s:@]*):[^/\\s]*@");
    /** A credential in a URL's query ({@code ?password=...}, {@code &access_token=...}). */
    private static final Pattern URL_QUERY_SECRET = Pattern.compile(
            "(?i)([?&;][A-Za-z0-9_.\\-]*(?:password|passwd|pwd|secret|token|api[_-]?key|credential|signature)"
                    + "[A-Za-z0-9_.\\-]*=)[^&#\\s\"']+");

    private static final int MAX_REMEMBERED = 4096;
    /**
     * Only names up to this length are remembered: field names repeat and are short, while a hostile or
     * generated key (a logged header block, a payload used as a key) would pin its text in the cache forever.
     */
    private static final int MAX_REMEMBERED_NAME_LENGTH = 128;

    private final String[] patterns;
    /**
     * {@code name=value} / {@code name: value} / {@code "name":"value"} with a sensitive name, in text that was
     * not a structure the walk could see: an object's {@code toString()} (a record's {@code password=...}) and
     * a throwable's message and stack. Null when redaction is off.
     */
    private final @Nullable Pattern namedValue;
    /** The names {@link #namedValue} looks for, lower-case and without separators (see {@link #mentionsAName}). */
    private final String[] namedValueNames;
    private final Map<String, Boolean> verdicts = new java.util.concurrent.ConcurrentHashMap<>();
    /** The same for names holding a header-like value (a list, an array, a framework headers object). */
    private final Map<String, Boolean> headerVerdicts = new java.util.concurrent.ConcurrentHashMap<>();

    public Redactor(List<String> patterns) {
        this.patterns = patterns.stream().map(Redactor::normalize).filter(p -> !p.isEmpty()).distinct()
                .toArray(String[]::new);
        this.namedValue = this.patterns.length == 0 ? null : namedValuePattern(this.patterns);
        java.util.Set<String> names = new java.util.LinkedHashSet<>(java.util.Arrays.asList(this.patterns));
        names.addAll(SENSITIVE_HEADERS);
        this.namedValueNames = this.patterns.length == 0 ? new String[0] : names.toArray(String[]::new);
    }

    private static Pattern namedValuePattern(String[] normalized) {
        StringBuilder names = new StringBuilder();
        java.util.Set<String> all = new java.util.LinkedHashSet<>(java.util.Arrays.asList(normalized));
        all.addAll(SENSITIVE_HEADERS);
        for (String name : all) {
            if (names.length() > 0) {
                names.append('|');
            }
            // Patterns are compared with the separators _ - . removed: allow one between any two letters.
            for (int i = 0; i < name.length(); i++) {
                if (i > 0) {
                    names.append("[_.\\-]?");
                }
                names.append(Pattern.quote(String.valueOf(name.charAt(i))));
            }
        }
        // Every repetition is bounded and the name has no leading wildcard, so the scan stays linear in the
        // text's length: a megabyte-long toString() must not turn into a quadratic backtracking search.
        return Pattern.compile("(?i)((?:" + names + ")[A-Za-z0-9_.\\-]{0,64}[\"']?[ \\t]{0,8}[=:][ \\t]{0,8})"
                + "(?:\"[^\"\\n]{0,1024}\"|'[^'\\n]{0,1024}'"
                + "|(?:(?:basic|bearer|digest|token|negotiate|ntlm|hoba|mutual|aws4-hmac-sha256)[ \\t]{1,8})?"
                + "[^\\s,;&)\\]}\"']{1,4096})");
    }

    /** Text that is not a structure (a toString(), a throwable's text): secret-shaped and named values masked. */
    String redactText(String text) {
        String result = maskSecretValues(text);
        Pattern named = namedValue;
        if (named != null && (result.indexOf('=') >= 0 || result.indexOf(':') >= 0) && mentionsAName(result)) {
            String masked = named.matcher(result).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
                    m.group(1) + Secrets.MASK));
            result = masked.equals(result) ? result : masked;
        }
        return result.equals(text) ? text : result;
    }

    /**
     * Whether the text, folded the way names are compared (lower-case, {@code _ - .} removed), contains one of
     * the sensitive names: never false where {@link #namedValue} could match, since its names are these letters
     * with optional separators between them and it ignores ASCII case only. Measured: a stack trace of thirty
     * frames made the alternation of every name at every position a third of the file lane's time in the
     * benchmark's varied workload; most texts mention no sensitive name at all.
     */
    private boolean mentionsAName(String text) {
        char[] folded = new char[text.length()];
        int length = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '_' && c != '-' && c != '.') {
                folded[length++] = c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : Character.toLowerCase(c);
            }
        }
        String haystack = new String(folded, 0, length);
        for (String name : namedValueNames) {
            if (haystack.contains(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The throwable as backends should see it: when its message or stack text (causes included) holds a
     * secret, a {@link RecordedThrowable} with the same type name and the masked texts; else the same instance.
     */
    public @Nullable Throwable redactError(@Nullable Throwable error) {
        if (error == null || !isActive()) {
            return error;
        }
        String message;
        try {
            message = error.getMessage();
        }
        catch (Throwable ex) {
            // As the encoder does: an Error (an assertion in an override) is described, not thrown on.
            message = "<getMessage() threw " + ex.getClass().getName() + ">";
        }
        String stack = JsonLineEncoder.stackTrace(error);
        String maskedMessage = message == null ? null : redactText(message);
        String maskedStack = redactText(stack);
        if (maskedMessage == message && maskedStack == stack) {
            return error;
        }
        return new RecordedThrowable(JsonLineEncoder.typeName(error), maskedMessage, maskedStack);
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
        if (verdicts.size() < MAX_REMEMBERED && fieldName.length() <= MAX_REMEMBERED_NAME_LENGTH) {
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

    /** How many names the verdict caches hold (tests). */
    int rememberedNames() {
        return verdicts.size() + headerVerdicts.size();
    }

    private boolean isSensitiveHeader(String name) {
        Boolean known = headerVerdicts.get(name);
        if (known != null) {
            return known;
        }
        boolean sensitive = isSensitive(name) || SENSITIVE_HEADERS.contains(normalize(name));
        if (headerVerdicts.size() < MAX_REMEMBERED && name.length() <= MAX_REMEMBERED_NAME_LENGTH) {
            // Lists and nested maps name their keys again with every entry; normalizing each showed in profiles.
            headerVerdicts.put(name, sensitive);
        }
        return sensitive;
    }

    /**
     * Whether the text may hold a secret by its shape alone. A few vectorized {@code indexOf} scans: cheap
     * enough for every string value on the encoder's fast path; only a hit runs the patterns.
     */
    public static boolean mayHoldSecretValue(String text) {
        return text.indexOf("://") >= 0 || text.indexOf("eyJ") >= 0 || text.indexOf("earer") >= 0
                || text.indexOf("EARER") >= 0;
    }

    /** The text with bearer tokens, JWTs and URL passwords masked; the same instance when there are none. */
    public static String maskSecretValues(String text) {
        if (!mayHoldSecretValue(text)) {
            return text;
        }
        String result = text;
        if (result.indexOf("://") >= 0) {
            result = URL_PASSWORD.matcher(result).replaceAll("$1:" + Secrets.MASK + "@");
            result = URL_QUERY_SECRET.matcher(result).replaceAll("$1" + Secrets.MASK);
        }
        if (result.indexOf("eyJ") >= 0) {
            result = JWT.matcher(result).replaceAll(Secrets.MASK);
        }
        if (result.indexOf("earer") >= 0 || result.indexOf("EARER") >= 0) {
            result = BEARER.matcher(result).replaceAll("$1 " + Secrets.MASK);
        }
        return result.equals(text) ? text : result;
    }

    /** The message as a backend sees it: secret-shaped values masked when redaction is on. */
    public String redactMessage(String message) {
        return isActive() ? maskSecretValues(message) : message;
    }

    /**
     * The fields as backends may see them: an unmodifiable masked copy, taken now (containers inside too, unless
     * the JDK makes them unchangeable and nothing in them needed masking).
     */
    public Map<String, Object> redact(Map<String, Object> fields) {
        return redactFields(fields, false);
    }

    /**
     * Like {@link #redact} for a field map this library built for one entry and shares with nobody: the map
     * itself is copied only when one of its values needed masking (the containers inside are the caller's and
     * are treated as {@link #redact} treats them).
     */
    public Map<String, Object> redactOwned(Map<String, Object> fields) {
        return redactFields(fields, true);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> redactFields(Map<String, Object> fields, boolean owned) {
        if (!isActive()) {
            return fields;
        }
        try {
            int[] budget = { MAX_NODES - 1 }; // the fields map itself is the walk's first node
            Object result = redactMap(fields, 0, budget, false, owned);
            return result instanceof Map<?, ?> map ? (Map<String, Object>) map : fields;
        }
        catch (Throwable ex) {
            // A hostile container (its iterator throws, even an Error): keep nothing of it rather than risk a
            // secret.
            return Map.of("redactionError", SafeText.toText(ex.getClass().getName()));
        }
    }

    /**
     * The value with every secret masked: scalars and throwables with nothing to mask as they are, maps,
     * collections and arrays as masked copies (see {@link #redactMap}), and an object written as its
     * {@code toString()} as the text that was examined.
     */
    private @Nullable Object redactValue(@Nullable Object value, int depth, int[] budget) {
        if (value == null || value instanceof Number || value instanceof Boolean || value instanceof Character
                || value instanceof Enum<?> || value == JsonNull.INSTANCE) {
            return value;
        }
        if (value instanceof String s) {
            return maskSecretValues(s);
        }
        if (value instanceof Throwable error) {
            return redactError(error);
        }
        if (depth > MAX_DEPTH) {
            // The walk starts one level above the encoder (the fields map itself is depth 0 here), so this is
            // where the encoder writes "<max depth reached>" instead of the container: nothing of it is written.
            return value;
        }
        if (--budget[0] < 0) {
            return BUDGET_MARKER;
        }
        if (value instanceof Map<?, ?> map) {
            return redactMap(map, depth, budget, false, false);
        }
        if (value instanceof Iterable<?> items) {
            return redactItems(items, items.iterator(), depth, budget);
        }
        if (value instanceof Object[] array) {
            // An array can be changed by anyone holding it: always copied.
            return redactItems(array, java.util.Arrays.asList(array).iterator(), depth, budget);
        }
        if (value instanceof Optional<?> optional) {
            Object content = optional.orElse(null);
            Object redacted = redactValue(content, depth + 1, budget);
            return redacted == content ? value : Optional.ofNullable(redacted);
        }
        if (value.getClass().isArray()) {
            return value; // primitive arrays hold no text
        }
        Map<String, Object> headers = HeaderAccess.asMap(value);
        if (headers != null) {
            return redactMap(headers, depth, budget, true, false);
        }
        // Any other object is written as its toString(): mask what that text holds, and hand on that text
        // rather than the object. The fields are masked on the dispatcher and written later by the lanes: a
        // builder the caller appends to, or a toString() that answers differently the next time, would
        // otherwise be written as text nobody examined.
        return redactText(SafeText.toText(value));
    }

    /**
     * A masked copy, or the map itself when it cannot change and nothing in it needed masking. The backends
     * write the entry later, on other threads: a map the application keeps filling after the call (a
     * request's headers gaining {@code Authorization}) must be written as it was examined, never as it is by
     * then. {@code owned}: a map this library built for the entry (nobody else holds it).
     */
    private Object redactMap(Map<?, ?> map, int depth, int[] budget, boolean headers, boolean owned) {
        Map<Object, @Nullable Object> copy = owned || Unchangeable.isUnchangeable(map) ? null : new LinkedHashMap<>();
        int index = 0;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (index > MAX_ITEMS) {
                break; // the encoder writes a truncation marker here; nothing past it is written
            }
            Object key = e.getKey();
            Object value = e.getValue();
            String name = key instanceof String s ? s : SafeText.toText(key);
            Object redacted;
            if (headers || value instanceof Collection<?> || value instanceof Object[]
                    ? isSensitiveHeader(name) : isSensitive(name)) {
                redacted = Secrets.MASK;
            }
            else {
                try {
                    redacted = redactValue(value, depth + 1, budget);
                }
                catch (Throwable ex) {
                    // A hostile value (its iterator throws, an AssertionError too): describe it, never pass it
                    // on unexamined. The console echo masks with this same walk: an Error escaping it lost the
                    // entry's console line.
                    redacted = "<unreadable: " + ex.getClass().getName() + ">";
                }
            }
            if (redacted != value && copy == null) {
                copy = firstEntries(map, index);
            }
            if (copy != null) {
                copy.put(key, redacted);
            }
            index++;
        }
        return copy == null ? map : java.util.Collections.unmodifiableMap(copy);
    }

    private static Map<Object, @Nullable Object> firstEntries(Map<?, ?> map, int count) {
        Map<Object, @Nullable Object> copy = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<?, ?> before : map.entrySet()) {
            if (i++ == count) {
                break;
            }
            copy.put(before.getKey(), before.getValue());
        }
        return copy;
    }

    /** Like {@link #redactMap}: a masked copy, or the container itself when it cannot change and needed nothing. */
    private Object redactItems(Object container, Iterator<?> items, int depth, int[] budget) {
        List<@Nullable Object> copy = Unchangeable.isUnchangeable(container) ? null : new ArrayList<>();
        int index = 0;
        while (items.hasNext() && index <= MAX_ITEMS) {
            Object item = items.next();
            Object redacted = redactValue(item, depth + 1, budget);
            if (redacted != item && copy == null) {
                copy = firstItems(container, index);
            }
            if (copy != null) {
                copy.add(redacted);
            }
            index++;
        }
        return copy == null ? container : java.util.Collections.unmodifiableList(copy);
    }

    /** The first {@code count} items of an unchangeable container, re-read once a masked copy is needed. */
    private static List<@Nullable Object> firstItems(Object container, int count) {
        List<@Nullable Object> copy = new ArrayList<>(count + 1);
        Iterator<?> again = ((Iterable<?>) container).iterator();
        for (int i = 0; i < count && again.hasNext(); i++) {
            copy.add(again.next());
        }
        return copy;
    }

    /**
     * Containers of the JDK that nobody can change after the call ({@code Map.of}, {@code List.of},
     * {@code Set.copyOf}, {@code Collections.emptyList()}, singletons): those need no copy when nothing in them
     * is masked. Views ({@code Collections.unmodifiableMap}) are not among them: what they show can change.
     */
    private static final class Unchangeable {
        private static final ClassValue<Boolean> KNOWN = new ClassValue<>() {
            @Override
            protected Boolean computeValue(Class<?> type) {
                String name = type.getName();
                return name.startsWith("java.util.ImmutableCollections$")
                        || name.startsWith("java.util.Collections$Empty")
                        || name.startsWith("java.util.Collections$Singleton");
            }
        };

        static boolean isUnchangeable(Object container) {
            return KNOWN.get(container.getClass());
        }
    }

    /** Spring's {@code HttpHeaders}, found by name so the engine stays free of Spring. */
    private static final class HeaderAccess {
        private static final ClassValue<java.lang.reflect.@Nullable Method> HEADER_SET = new ClassValue<>() {
            @Override
            protected java.lang.reflect.@Nullable Method computeValue(Class<?> type) {
                for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                    if (HTTP_HEADERS_CLASS.equals(c.getName())) {
                        try {
                            return c.getMethod("headerSet");
                        }
                        catch (NoSuchMethodException | RuntimeException ex) {
                            return null; // Spring 6 and older: HttpHeaders is a Map and handled as one
                        }
                    }
                }
                return null;
            }
        };

        private HeaderAccess() {
        }

        /** The headers as name to values, or null when the object is no header container. */
        static @Nullable Map<String, Object> asMap(Object value) {
            java.lang.reflect.Method headerSet = HEADER_SET.get(value.getClass());
            if (headerSet == null) {
                return null;
            }
            Map<String, Object> headers = new LinkedHashMap<>();
            try {
                for (Object e : (Iterable<?>) headerSet.invoke(value)) {
                    Map.Entry<?, ?> entry = (Map.Entry<?, ?>) e;
                    headers.put(SafeText.toText(entry.getKey()), entry.getValue() == null ? JsonNull.INSTANCE
                            : entry.getValue());
                }
            }
            catch (ReflectiveOperationException | RuntimeException ex) {
                // Unreadable headers: never fall back to toString(), which prints every value.
                return Map.of("headersUnreadable", ex.getClass().getName());
            }
            return headers;
        }
    }

    /**
     * Does now, on the calling thread, the parsing and masking a backend would otherwise do when it first
     * reads the entry's fields; the result is kept in the entry. The pipeline's dispatcher calls it for
     * each batch, so that work runs beside the lanes (which are writing the previous batch) instead of on
     * the slowest lane's thread. Entries the JSON encoder writes straight from the caller's key/values are
     * left as they are. A failure is left for the backend to meet (and count) as before.
     */
    public static void prepareFields(LogEntry entry) {
        try {
            if (entry instanceof QueuedLogEntry queued) {
                queued.prepareFields();
            }
            else if (entry instanceof RedactedEntry redacted) {
                redacted.fields();
                redacted.delegate.message(); // a captured event formats its message once and keeps it
            }
        }
        catch (Throwable ex) {
            // The backend reading the fields meets the same failure and accounts for it (the file writes that
            // entry with an encodingError). Errors too: an iterator's AssertionError thrown out of here would
            // make the dispatcher fail the whole batch, every other entry of it included.
        }
    }

    /** A view of any entry whose fields are masked on first access (see {@link #prepareFields}). */
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
            return redactor.redactMessage(delegate.message());
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
            return redactor.redactError(delegate.error());
        }

        @Override
        public String toString() {
            // Not the delegate's: an application's entry may print its message or fields unmasked.
            return "LogEntry[" + level() + " " + logger() + ": " + message() + "]";
        }
    }
}
