package io.persistencelog.autoconfigure;

import io.persistencelog.capture.LogbackCapture;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;

/**
 * Ties the Logback capture to the application context.
 *
 * <ul>
 * <li>Attaches once every singleton exists (Boot has initialised logging by then, and the context's
 * pipeline is installed), so what the application logs while it starts, e.g. the web server's start, is
 * captured too; entries wait in the queue until the pipeline starts.</li>
 * <li>Checks again on every {@link ContextRefreshedEvent} (child contexts publish theirs to the parent
 * too): attaching is idempotent, so there is one appender however often that happens, and one that Logback
 * dropped on a reset is put back.</li>
 * <li>Detaches when the context stops, in the phase just before the pipeline drains, so logs of the
 * graceful shutdown are still captured; and on destroy, which also covers a context that failed to
 * start.</li>
 * </ul>
 */
final class LogbackCaptureLifecycle extends PhasedLifecycle implements SmartInitializingSingleton,
        ApplicationListener<ContextRefreshedEvent>, LogPersistenceReportContributor {

    /** Stops right before the pipeline ({@link LogPersistenceLifecycle#PHASE}) drains and closes. */
    static final int PHASE = LogPersistenceLifecycle.PHASE + 1;

    private final LogbackCapture capture;

    LogbackCaptureLifecycle(LogbackCapture capture) {
        super(PHASE);
        this.capture = capture;
    }

    LogbackCapture capture() {
        return capture;
    }

    @Override
    public void afterSingletonsInstantiated() {
        capture.attach();
    }

    @Override
    void begin() {
        capture.attach();
    }

    @Override
    public void onApplicationEvent(ContextRefreshedEvent event) {
        capture.ensureAttached();
    }

    @Override
    void end() {
        capture.detach();
    }

    @Override
    public String section() {
        return "capture";
    }

    @Override
    public java.util.Map<String, Object> figures() {
        return capture.metrics();
    }
}
