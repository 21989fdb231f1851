package io.persistencelog.autoconfigure;

import io.persistencelog.BackendFactory;
import io.persistencelog.BackendNames;
import io.persistencelog.LogBackend;
import io.persistencelog.BackendRegistry;
import io.persistencelog.engine.DefaultBackendRegistry;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;

/** Rules for {@link LogBackend} beans. */
final class LogBackendBeans {

    private LogBackendBeans() {
    }

    /**
     * The registry the built-in pipeline runs: the bean itself when it is the built-in one; for an
     * application's own {@link BackendRegistry}, a built-in registry running exactly its active backends.
     */
    static DefaultBackendRegistry engineRegistry(BackendRegistry registry) {
        if (registry instanceof DefaultBackendRegistry builtIn) {
            return builtIn;
        }
        List<LogBackend> active = registry.getActiveBackends();
        Set<String> names = new LinkedHashSet<>();
        active.forEach(backend -> names.add(BackendNames.normalize(backend.name())));
        DefaultBackendRegistry engine = new DefaultBackendRegistry(names);
        active.forEach(engine::register);
        return engine;
    }

    /**
     * A {@link BackendFactory} bean shares its name with another factory bean or a {@link LogBackend} bean:
     * which one ran would depend on bean order, so refuse to start, naming both beans. (Either replaces a
     * provider's backend of its name; that is what they are for.)
     */
    static void checkUniqueNames(Map<String, BackendFactory> factoriesByBeanName,
            Map<String, LogBackend> backendsByBeanName) {
        Map<String, String> seen = new HashMap<>();
        backendsByBeanName.forEach((beanName, backend) -> seen.put(BackendNames.normalize(backend.name()),
                "LogBackend bean '" + beanName + "'"));
        factoriesByBeanName.forEach((beanName, factory) -> {
            String bean = "BackendFactory bean '" + beanName + "'";
            String previous = seen.putIfAbsent(factory.name(), bean);
            if (previous != null) {
                throw new IllegalStateException("Two beans declare the log backend '" + factory.name() + "': "
                        + previous + " and " + bean + ". Backend names must be unique; remove one of them or "
                        + "rename it.");
            }
        });
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
