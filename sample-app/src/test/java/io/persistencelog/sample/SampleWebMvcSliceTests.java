package io.persistencelog.sample;

import static io.persistencelog.LogLevel.ERROR;
import static io.persistencelog.LogLevel.INFO;
import static io.persistencelog.test.PersistenceLogAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.persistencelog.test.AutoConfigurePersistedLogs;
import io.persistencelog.test.PersistedLogs;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The README's promise that {@code @AutoConfigurePersistedLogs} works on a {@code @WebMvcTest} slice, and that
 * entries logged by one test class never show up in another sharing the cached context. The two nested classes
 * share one context (same configuration): whichever runs second would see the other's entries if they leaked.
 */
@WebMvcTest(DemoController.class)
@Import(RecentLogsBackend.class)
@AutoConfigurePersistedLogs
class SampleWebMvcSliceTests {

    @TempDir
    static Path logs;

    @DynamicPropertySource
    static void logDirectory(DynamicPropertyRegistry registry) {
        registry.add("log-persistence.file.directory", () -> logs.toString());
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    PersistedLogs persistedLogs;

    @Nested
    class Payments {

        @Test
        void aFailedPaymentIsPersistedAndNothingFromOtherTestsIsThere() throws Exception {
            assertThat(persistedLogs).hasNoEntry(INFO, "Order viewed");
            mvc.perform(get("/fail")).andExpect(status().isOk());

            assertThat(persistedLogs).hasEntry(ERROR, "Payment failed").withField("order_id", 42)
                    .withError(IllegalStateException.class, "payment service unavailable");
            assertThat(persistedLogs).hasNoEntry(INFO, "Order viewed");
        }
    }

    @Nested
    class Orders {

        @Test
        void aViewedOrderIsPersistedAndNothingFromOtherTestsIsThere() throws Exception {
            assertThat(persistedLogs).hasNoEntry(ERROR, "Payment failed");
            mvc.perform(get("/orders/7")).andExpect(status().isOk());

            assertThat(persistedLogs).hasEntry(INFO, "Order viewed").withField("order_id", 7).fromLogger("orders");
            assertThat(persistedLogs).hasNoEntry(ERROR, "Payment failed");
            assertThat(persistedLogs.entries()).noneMatch(entry -> entry.message().equals("Payment failed"));
        }
    }
}
