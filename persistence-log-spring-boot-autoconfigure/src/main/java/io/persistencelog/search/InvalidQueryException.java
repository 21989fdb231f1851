package io.persistencelog.search;

/** A search parameter that cannot be used; {@link #parameter()} names it so the caller can fix it. */
public final class InvalidQueryException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String parameter;

    public InvalidQueryException(String parameter, String message) {
        super("Invalid parameter '" + parameter + "': " + message);
        this.parameter = parameter;
    }

    /** The query parameter at fault, e.g. {@code limit} or {@code field.user_id}. */
    public String parameter() {
        return parameter;
    }
}
