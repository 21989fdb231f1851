package io.persistencelog.test;

/** Entry point: {@code assertThat(persistedLogs).hasEntry(ERROR, "Payment failed").withField("order_id", 42)}. */
public final class PersistenceLogAssertions {

    private PersistenceLogAssertions() {
    }

    public static PersistedLogsAssert assertThat(PersistedLogs logs) {
        return new PersistedLogsAssert(logs);
    }
}
