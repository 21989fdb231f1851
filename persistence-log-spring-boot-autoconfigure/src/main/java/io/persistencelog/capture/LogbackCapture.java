package io.persistencelog.capture;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggerContextListener;
import ch.qos.logback.core.Appender;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Keeps exactly one {@link PersistenceLogAppender} on a Logback root logger for as long as at least one
 * owner (one per application context) wants capture, and puts it back when Logback is reset.
 *
 * <p>Logback drops programmatically added appenders whenever it is reset: Spring Boot stops and resets it
 * when it (re)initialises logging (each {@code SpringApplication.run} after the previous application
 * closed), and a {@code logback.xml} with {@code scan="true"} resets it on every change. So:
 * <ul>
 * <li>{@link #attach()} is idempotent: it looks the appender up by {@link #APPENDER_NAME} and adds it only
 * when missing, so calling it on every context refresh leaves one appender.</li>
 * <li>a reset-resistant {@link LoggerContextListener} re-attaches on reset; since
 * {@code LoggerContext.stop()} removes even reset-resistant listeners, {@link #attach()} also re-registers
 * that listener, and the Spring side calls it again on refresh.</li>
 * <li>several owners can be alive at once (e.g. cached test contexts): they share the one appender, which
 * follows the settings of the owner attached last and writes to the current pipeline; it is removed when
 * the last owner detaches.</li>
 * <li>a {@code PersistenceLogAppender} that the Logback configuration itself declares on the root logger
 * is respected: no second one is added.</li>
 * </ul>
 */
public final class LogbackCapture {

    /** Name of the appender attached to the root logger. */
    public static final String APPENDER_NAME = "PERSISTENCE_LOG_CAPTURE";

    private static final Object LOCK = new Object();
    /** Owners in attach order; the last one's settings apply. Guarded by LOCK. */
    private static final List<LogbackCapture> OWNERS = new ArrayList<>();
    private static final ResetListener RESET_LISTENER = new ResetListener();

    private final LoggerContext context;
    private final CaptureSettings settings;

    public LogbackCapture(LoggerContext context, CaptureSettings settings) {
        this.context = context;
        this.settings = settings;
    }

    /** The Logback context SLF4J is bound to, or null when SLF4J's backend is not Logback. */
    public static @Nullable LoggerContext currentLoggerContext() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        return factory instanceof LoggerContext loggerContext ? loggerContext : null;
    }

    public CaptureSettings settings() {
        return settings;
    }

    /**
     * Makes sure the appender is on the root logger (adding it only when missing) with this owner's
     * settings, and that a reset puts it back. Idempotent.
     */
    public void attach() {
        synchronized (LOCK) {
            if (!OWNERS.contains(this)) {
                OWNERS.add(this);
            }
            reconcile(context, false);
        }
    }

    /**
     * Re-checks the appender without changing which owner's settings apply; does nothing once detached.
     * For events that may repeat, such as a context refresh.
     */
    public void ensureAttached() {
        synchronized (LOCK) {
            if (OWNERS.contains(this)) {
                reconcile(context, false);
            }
        }
    }

    /** Gives up this owner's claim; the appender is removed and stopped when no owner is left. Idempotent. */
    public void detach() {
        synchronized (LOCK) {
            if (OWNERS.remove(this)) {
                reconcile(context, false);
            }
        }
    }

    public boolean isAttached() {
        synchronized (LOCK) {
            return OWNERS.contains(this);
        }
    }

    /** Figures of the capture for the endpoint: whether it is attached and what its appender counted. */
    public java.util.Map<String, Object> metrics() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("attached", isAttached());
        m.put("minLevel", settings().minLevel().name());
        long captured = 0;
        long dropped = 0;
        long excluded = 0;
        long noPipeline = 0;
        long failures = 0;
        for (PersistenceLogAppender appender : appenders(context)) {
            captured += appender.capturedCount();
            dropped += appender.droppedCount();
            excluded += appender.excludedCount();
            noPipeline += appender.noPipelineCount();
            failures += appender.failureCount();
        }
        m.put("captured", captured);
        m.put("dropped", dropped);
        m.put("excluded", excluded);
        m.put("withoutPipeline", noPipeline);
        m.put("failures", failures);
        return m;
    }

    /** Every {@code PersistenceLogAppender} on the root logger (there should be at most one). */
    public static List<PersistenceLogAppender> appenders(LoggerContext context) {
        List<PersistenceLogAppender> result = new ArrayList<>();
        Iterator<Appender<ILoggingEvent>> it = root(context).iteratorForAppenders();
        while (it.hasNext()) {
            if (it.next() instanceof PersistenceLogAppender appender) {
                result.add(appender);
            }
        }
        return result;
    }

    /** Brings the root logger in line with the owners. Caller holds LOCK. */
    private static void reconcile(LoggerContext context, boolean insideListener) {
        LogbackCapture owner = null;
        for (LogbackCapture candidate : OWNERS) {
            if (candidate.context == context) {
                owner = candidate; // the last one attached wins
            }
        }
        Logger root = root(context);
        Appender<ILoggingEvent> existing = root.getAppender(APPENDER_NAME);
        if (owner == null) {
            if (existing instanceof PersistenceLogAppender) {
                root.detachAppender(existing);
                existing.stop();
            }
            if (!insideListener) {
                context.removeListener(RESET_LISTENER);
            }
            return;
        }
        if (existing instanceof PersistenceLogAppender ours) {
            ours.configure(owner.settings);
            if (!ours.isStarted()) {
                ours.start();
            }
        }
        else if (existing == null && !declaredByConfiguration(root)) {
            PersistenceLogAppender appender = new PersistenceLogAppender();
            appender.setContext(context);
            appender.setName(APPENDER_NAME);
            appender.configure(owner.settings);
            appender.start();
            root.addAppender(appender);
        }
        // else: an unrelated appender uses our name; leave it alone rather than replace the user's.
        if (!insideListener && !context.getCopyOfListenerList().contains(RESET_LISTENER)) {
            context.addListener(RESET_LISTENER);
        }
    }

    /** A PersistenceLogAppender under another name: declared in logback.xml, so that one captures. */
    private static boolean declaredByConfiguration(Logger root) {
        Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders();
        while (it.hasNext()) {
            Appender<ILoggingEvent> appender = it.next();
            if (appender instanceof PersistenceLogAppender && !APPENDER_NAME.equals(appender.getName())) {
                return true;
            }
        }
        return false;
    }

    private static Logger root(LoggerContext context) {
        return context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    @Override
    public String toString() {
        return "LogbackCapture[" + settings + "]";
    }

    /** Puts the appender back after Logback dropped it. Reset-resistant, so it survives plain resets. */
    private static final class ResetListener implements LoggerContextListener {

        @Override
        public boolean isResetResistant() {
            return true;
        }

        @Override
        public void onStart(LoggerContext context) {
            reattach(context);
        }

        @Override
        public void onReset(LoggerContext context) {
            reattach(context);
        }

        @Override
        public void onStop(LoggerContext context) {
            // Logback removes every listener right after this; the next attach() registers it again.
        }

        @Override
        public void onLevelChange(Logger logger, Level level) {
            // not needed
        }

        private static void reattach(LoggerContext context) {
            synchronized (LOCK) {
                // Logback is iterating its (plain) listener list right now: leave the list alone.
                reconcile(context, true);
            }
        }
    }
}
