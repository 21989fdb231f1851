package io.persistencelog.autoconfigure.aot;

import static org.assertj.core.api.Assertions.assertThat;

import io.persistencelog.TimingStats;
import io.persistencelog.capture.PersistenceLogAppender;
import io.persistencelog.engine.LatencyHistogram;
import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;

class LogPersistenceRuntimeHintsTest {

    private final RuntimeHints hints = new RuntimeHints();

    LogPersistenceRuntimeHintsTest() {
        new LogPersistenceRuntimeHints().registerHints(hints, getClass().getClassLoader());
    }

    @Test
    void registeredThroughAotFactories() {
        assertThat(AotServices.factories().load(RuntimeHintsRegistrar.class))
                .anyMatch(LogPersistenceRuntimeHints.class::isInstance);
    }

    @Test
    void logbackAppenderCanBeBuiltAndConfiguredFromLogbackXml() throws Exception {
        assertThat(RuntimeHintsPredicates.reflection().onConstructorInvocation(
                PersistenceLogAppender.class.getConstructor())).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(
                PersistenceLogAppender.class.getMethod("setMinLevel", String.class))).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(
                PersistenceLogAppender.class.getMethod("setExcludeLoggers", String.class))).accepts(hints);
    }

    @Test
    void springFactoriesEntriesCanBeInstantiated() {
        for (String type : new String[] { LogPersistenceRuntimeHints.SPRING_APPLICATION_DETECTOR,
                LogPersistenceRuntimeHints.FAILURE_ANALYZER,
                LogPersistenceRuntimeHints.FAILED_STARTUP_LISTENER }) {
            assertThat(RuntimeHintsPredicates.reflection().onType(TypeReference.of(type))
                    .withMemberCategory(MemberCategory.INVOKE_DECLARED_CONSTRUCTORS)).accepts(hints);
        }
    }

    @Test
    void endpointRecordsCanBeWrittenByJackson() throws Exception {
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(
                TimingStats.class.getMethod("totalCalls"))).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(
                LatencyHistogram.Snapshot.class.getMethod("p99Ms"))).accepts(hints);
    }

    @Test
    void kafkaSerializerIsReachableWhenKafkaIsPresent() {
        assertThat(RuntimeHintsPredicates.reflection()
                .onType(TypeReference.of(LogPersistenceRuntimeHints.KAFKA_SERIALIZER))
                .withMemberCategory(MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS)).accepts(hints);
    }

    @Test
    void explorerPageResourcesAreIncludedInANativeImage() {
        // ExplorerPage reads its HTML, script and styles with getResourceAsStream: without a resource hint a
        // native image would leave them out and fail when log-persistence.ui.enabled=true.
        for (String name : new String[] { "index.html", "explorer.js", "explorer.css" }) {
            assertThat(RuntimeHintsPredicates.resource().forResource("io/persistencelog/explorer/" + name))
                    .accepts(hints);
        }
    }
}
