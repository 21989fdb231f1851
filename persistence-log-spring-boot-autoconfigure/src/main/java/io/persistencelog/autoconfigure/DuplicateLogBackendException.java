package io.persistencelog.autoconfigure;

/** Two {@code LogBackend} beans report the same name. */
public class DuplicateLogBackendException extends IllegalStateException {

    private final String backendName;
    private final String firstBean;
    private final String secondBean;

    public DuplicateLogBackendException(String backendName, String firstBean, String secondBean) {
        super("Two LogBackend beans are named '" + backendName + "': '" + firstBean + "' and '" + secondBean
                + "'. Backend names must be unique; rename one of them (LogBackend.name()).");
        this.backendName = backendName;
        this.firstBean = firstBean;
        this.secondBean = secondBean;
    }

    public String backendName() {
        return backendName;
    }

    public String firstBean() {
        return firstBean;
    }

    public String secondBean() {
        return secondBean;
    }
}
