package io.persistencelog.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a {@link DuplicateLogBackendException} at startup. */
class DuplicateLogBackendFailureAnalyzer extends AbstractFailureAnalyzer<DuplicateLogBackendException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, DuplicateLogBackendException cause) {
        return new FailureAnalysis(
                "Beans '" + cause.firstBean() + "' and '" + cause.secondBean()
                        + "' both implement LogBackend with name() '" + cause.backendName() + "'.",
                "Give each LogBackend bean a unique name(), or remove one of them. To replace a built-in backend, "
                        + "declare a single bean with the built-in's name.",
                cause);
    }
}
