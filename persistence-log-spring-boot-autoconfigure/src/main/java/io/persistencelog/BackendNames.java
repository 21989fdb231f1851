package io.persistencelog;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Parsing of backend lists such as {@code LOG_BACKENDS=file, Datadog}. */
public final class BackendNames {

    /** The backend used when nothing is selected. */
    public static final String FILE = "file";

    private BackendNames() {
    }

    public static String normalize(String name) {
        return name.trim().toLowerCase(Locale.ROOT);
    }

    /** Trimmed, lower-case, de-duplicated names in their given order; empty for null or blank input. */
    public static Set<String> parse(@Nullable String list) {
        Set<String> names = new LinkedHashSet<>();
        if (list != null) {
            for (String part : list.split(",")) {
                String name = normalize(part);
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    /**
     * Applies the precedence of the contract: {@code LOG_BACKENDS} when set and not blank, else the
     * property, else {@code file}.
     */
    public static Set<String> select(@Nullable String logBackendsVariable, @Nullable String property) {
        Set<String> fromVariable = parse(logBackendsVariable);
        if (!fromVariable.isEmpty()) {
            return fromVariable;
        }
        Set<String> fromProperty = parse(property);
        return fromProperty.isEmpty() ? Set.of(FILE) : fromProperty;
    }
}
