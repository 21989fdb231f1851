package io.persistencelog.codec;

import org.jspecify.annotations.Nullable;

/**
 * A throwable read back from the spool: the original type name and stack text, as they were recorded.
 * Encoders write {@link #recordedType()} and {@link #recordedStack()} instead of this class's own.
 */
public final class RecordedThrowable extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String recordedType;
    private final String recordedStack;

    public RecordedThrowable(String recordedType, @Nullable String message, String recordedStack) {
        super(message, null, false, false);
        this.recordedType = recordedType;
        this.recordedStack = recordedStack;
    }

    public String recordedType() {
        return recordedType;
    }

    public String recordedStack() {
        return recordedStack;
    }

    @Override
    public String toString() {
        String message = getMessage();
        return message == null ? recordedType : recordedType + ": " + message;
    }
}
