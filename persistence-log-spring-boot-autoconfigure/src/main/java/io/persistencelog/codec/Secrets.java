package io.persistencelog.codec;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import org.jspecify.annotations.Nullable;

/**
 * Process-wide list of secret values (API keys, webhook URLs) that must never be shown. Every error text
 * that reaches metrics, the endpoint or a log line passes through {@link #mask(String)}, so a library
 * exception that quotes a URL cannot leak it; secret-shaped values (see {@link Redactor#maskSecretValues}) are
 * masked as well.
 */
public final class Secrets {

    public static final String MASK = "******";
    private static final int MIN_LENGTH = 4;
    private static final Set<String> VALUES = new CopyOnWriteArraySet<>();

    private Secrets() {
    }

    public static void register(@Nullable String secret) {
        if (secret != null && secret.length() >= MIN_LENGTH) {
            VALUES.add(secret);
        }
    }

    public static String mask(String text) {
        // Secret-shaped text (a bearer token, a JWT, a URL's password) in a library's error message is masked
        // too, though it was never registered.
        String result = Redactor.maskSecretValues(text);
        for (String secret : VALUES) {
            if (result.contains(secret)) {
                result = result.replace(secret, MASK);
            }
        }
        return result;
    }

    /** A fixed placeholder for a secret in {@code toString()} output: says whether it is set, nothing else. */
    public static String describe(@Nullable String secret) {
        return secret == null || secret.isEmpty() ? "<unset>" : MASK;
    }
}
