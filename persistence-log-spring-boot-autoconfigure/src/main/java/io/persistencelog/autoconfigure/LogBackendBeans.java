package io.persistencelog.autoconfigure;

import io.persistencelog.BackendNames;
import io.persistencelog.LogBackend;
import java.util.HashMap;
import java.util.Map;

/** Rules for {@link LogBackend} beans. */
final class LogBackendBeans {

    private LogBackendBeans() {
    }

    /** Two beans answering the same {@code name()} would shadow each other: refuse to start. */
    static void checkUniqueNames(Map<String, LogBackend> beansByBeanName) {
        Map<String, String> seen = new HashMap<>();
        beansByBeanName.forEach((beanName, backend) -> {
            String name = BackendNames.normalize(backend.name());
            String previous = seen.putIfAbsent(name, beanName);
            if (previous != null) {
                throw new DuplicateLogBackendException(name, previous, beanName);
            }
        });
    }
}
