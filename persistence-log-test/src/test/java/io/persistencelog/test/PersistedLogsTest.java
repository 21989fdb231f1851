package io.persistencelog.test;

import static io.persistencelog.LogLevel.ERROR;
import static io.persistencelog.LogLevel.INFO;
import static io.persistencelog.test.PersistenceLogAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.persistencelog.AppLogger;
import io.persistencelog.AppLoggerFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(classes = PersistedLogsTest.App.class)
@AutoConfigurePersistedLogs
class PersistedLogsTest {

    @TempDir
    static Path logs;

    @DynamicPropertySource
    static void logDirectory(DynamicPropertyRegistry registry) {
        registry.add("log-persistence.file.directory", () -> logs.toString());
    }

    private static final AppLogger log = AppLoggerFactory.getAppLogger("payments");

    @Autowired
    PersistedLogs persistedLogs;

    @Test
    void findsAnEntryByLevelMessageFieldsAndError() {
        log.error("Payment failed", "order_id", 42, new IllegalStateException("card declined"));

        assertThat(persistedLogs).hasEntry(ERROR, "Payment failed").withField("order_id", 42)
                .withError(IllegalStateException.class, "card declined").fromLogger("payments");
    }

    @Test
    void seesCapturedSlf4jLoggingToo() {
        LoggerFactory.getLogger("billing").info("Invoice sent to {}", "alice");

        assertThat(persistedLogs).hasEntry(INFO, "Invoice sent to alice").fromLogger("billing");
    }

    @Test
    void failsWithTheCandidatesWhenNothingMatches() {
        log.error("Payment failed", "order_id", 7);

        assertThatThrownBy(() -> assertThat(persistedLogs).hasEntry(ERROR, "Payment failed").withField("order_id", 42))
                .isInstanceOf(AssertionError.class).hasMessageContaining("order_id=42")
                .hasMessageContaining("order_id=7");
        assertThatThrownBy(() -> assertThat(persistedLogs).hasEntry(INFO, "Never logged"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("Payment failed");
    }

    @Test
    void eachTestStartsEmpty() {
        log.info("only this one", "n", 1);

        assertThat(persistedLogs).hasNoEntry(ERROR, "Payment failed").hasEntry(INFO, "only this one");
    }

    /** JUnit @Nested classes inherit the enclosing class's test configuration, the memory backend included. */
    @Nested
    class InANestedClass {

        @Test
        void seesWhatIsPersisted() {
            log.info("logged from a nested class", "n", 2);

            assertThat(persistedLogs).hasEntry(INFO, "logged from a nested class").withField("n", 2);
        }
    }

    @SpringBootConfiguration
    static class App {
    }
}
