package io.persistencelog.autoconfigure.aot;

import io.persistencelog.TimingStats;
import io.persistencelog.capture.PersistenceLogAppender;
import io.persistencelog.engine.LatencyHistogram;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.util.ClassUtils;

/**
 * What an AOT-processed application (and a GraalVM native image) needs beyond what Spring derives from the
 * bean definitions. Configuration properties, the actuator endpoint's operations and the auto-configurations
 * are covered by Spring's own AOT processing; this adds what is reached by name or by reflection:
 *
 * <ul>
 * <li>the Logback appender, which users may declare by class name in {@code logback.xml} (Joran instantiates
 * it and calls its setters);</li>
 * <li>the listener and failure analyzer listed in {@code META-INF/spring.factories}, instantiated by
 * {@code SpringFactoriesLoader};</li>
 * <li>the records the endpoint's JSON may contain, serialised by Jackson databind;</li>
 * <li>the Kafka serializer the Kafka backend names, when kafka-clients is on the classpath;</li>
 * <li>the explorer page's HTML, script and style sheet, read with {@code getResourceAsStream} (a native image
 * only contains the resources it is told about).</li>
 * </ul>
 * The engine itself reads no classpath resources (the weekly files and the spool are on disk).
 */
public final class LogPersistenceRuntimeHints implements RuntimeHintsRegistrar {

    static final String SPRING_APPLICATION_DETECTOR = "io.persistencelog.autoconfigure.SpringApplicationDetector";
    static final String FAILURE_ANALYZER = "io.persistencelog.autoconfigure.DuplicateLogBackendFailureAnalyzer";
    static final String FAILED_STARTUP_LISTENER = "io.persistencelog.autoconfigure.StartupTraceListener";
    static final String KAFKA_PRODUCER = "org.apache.kafka.clients.producer.KafkaProducer";
    static final String KAFKA_SERIALIZER = "org.apache.kafka.common.serialization.ByteArraySerializer";

    /** Where {@code ExplorerPage} reads its files from. */
    static final String EXPLORER_RESOURCES = "io/persistencelog/explorer/*";

    private final BindingReflectionHintsRegistrar bindings = new BindingReflectionHintsRegistrar();

    @Override
    public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
        hints.reflection().registerType(PersistenceLogAppender.class, MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS,
                MemberCategory.INVOKE_PUBLIC_METHODS);
        for (String factory : new String[] { SPRING_APPLICATION_DETECTOR, FAILURE_ANALYZER,
                FAILED_STARTUP_LISTENER }) {
            if (ClassUtils.isPresent(factory, classLoader)) {
                hints.reflection().registerType(TypeReference.of(factory),
                        MemberCategory.INVOKE_DECLARED_CONSTRUCTORS);
            }
        }
        bindings.registerReflectionHints(hints.reflection(), TimingStats.class, LatencyHistogram.Snapshot.class);
        hints.resources().registerPattern(EXPLORER_RESOURCES);
        if (ClassUtils.isPresent(KAFKA_PRODUCER, classLoader)) {
            hints.reflection().registerType(TypeReference.of(KAFKA_SERIALIZER),
                    MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS);
        }
    }
}
