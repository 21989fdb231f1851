package io.persistencelog.test;

import io.persistencelog.LogPersistenceHandler;
import io.persistencelog.autoconfigure.LogPersistenceAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** The in-memory backend and the {@link PersistedLogs} view of it; imported by {@link AutoConfigurePersistedLogs}. */
@AutoConfiguration(after = LogPersistenceAutoConfiguration.class)
public final class PersistedLogsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    InMemoryLogBackend inMemoryLogBackend() {
        return new InMemoryLogBackend();
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(LogPersistenceHandler.class)
    PersistedLogs persistedLogs(LogPersistenceHandler handler, InMemoryLogBackend backend) {
        return new PersistedLogs(handler, backend);
    }
}
