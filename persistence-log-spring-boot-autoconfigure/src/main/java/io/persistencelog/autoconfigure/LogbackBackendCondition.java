package io.persistencelog.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ClassUtils;

/**
 * Matches when Logback is the SLF4J backend: on the classpath <em>and</em> what
 * {@code LoggerFactory.getILoggerFactory()} returns. Logback classes are only referenced by name, so this
 * is safe when Logback is absent (e.g. Log4j2 applications).
 */
class LogbackBackendCondition extends SpringBootCondition {

    static final String LOGGER_CONTEXT = "ch.qos.logback.classic.LoggerContext";

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return outcome(context.getClassLoader());
    }

    static ConditionOutcome outcome(@Nullable ClassLoader classLoader) {
        ConditionMessage.Builder message = ConditionMessage.forCondition("Logback as the SLF4J backend");
        if (!ClassUtils.isPresent(LOGGER_CONTEXT, classLoader)) {
            return ConditionOutcome.noMatch(message.didNotFind("class").items(LOGGER_CONTEXT));
        }
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (ClassUtils.resolveClassName(LOGGER_CONTEXT, classLoader).isInstance(factory)) {
            return ConditionOutcome.match(message.foundExactly("Logback LoggerContext"));
        }
        return ConditionOutcome.noMatch(message.because("the SLF4J backend is " + factory.getClass().getName()));
    }

    /** Why Logback is not the backend, for the one INFO line. */
    static String describeBackend(@Nullable ClassLoader classLoader) {
        String factory = LoggerFactory.getILoggerFactory().getClass().getName();
        if (!ClassUtils.isPresent(LOGGER_CONTEXT, classLoader)) {
            return "Logback is not on the classpath (the SLF4J backend is " + factory + ")";
        }
        return "the SLF4J backend is " + factory + ", not Logback";
    }

    /** The opposite: Logback is not the SLF4J backend. */
    static final class Absent extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            ConditionOutcome outcome = outcome(context.getClassLoader());
            return new ConditionOutcome(!outcome.isMatch(), outcome.getConditionMessage());
        }
    }
}
