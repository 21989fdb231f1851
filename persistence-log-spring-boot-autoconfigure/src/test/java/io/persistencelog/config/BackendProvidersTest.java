package io.persistencelog.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.persistencelog.BackendProviderSupport;
import io.persistencelog.LogBackendProvider;
import io.persistencelog.engine.CollectingBackend;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two providers claiming one backend name in the same place (two service registrations, or two Spring beans)
 * would leave which one runs to the order of the classpath or of bean registration: startup refuses it,
 * naming both. A provider given as an override (a Spring bean) still replaces a service-loaded one.
 */
class BackendProvidersTest {

    @TempDir
    Path dir;

    public static final class AuditProvider extends BackendProviderSupport<Object> {
        public AuditProvider() {
            super("audit", Object.class, (settings, context) -> new CollectingBackend("audit"));
        }
    }

    public static final class OtherAuditProvider extends BackendProviderSupport<Object> {
        public OtherAuditProvider() {
            super("Audit", Object.class, (settings, context) -> new CollectingBackend("audit"), true,
                    List.of("com.example.otheraudit"));
        }
    }

    private ClassLoader registering(Class<?>... providers) throws Exception {
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        StringBuilder lines = new StringBuilder();
        for (Class<?> provider : providers) {
            lines.append(provider.getName()).append('\n');
        }
        Files.writeString(services.resolve(LogBackendProvider.class.getName()), lines);
        return new URLClassLoader(new URL[] { dir.toUri().toURL() }, getClass().getClassLoader());
    }

    @Test
    void twoServiceRegistrationsOfOneNameStopStartupNamingBoth() throws Exception {
        ClassLoader loader = registering(AuditProvider.class, OtherAuditProvider.class);
        assertThatThrownBy(() -> BackendProviders.load(loader)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'audit'").hasMessageContaining(AuditProvider.class.getName())
                .hasMessageContaining(OtherAuditProvider.class.getName());
    }

    @Test
    void twoOverridesOfOneNameStopStartupNamingBoth() {
        assertThatThrownBy(() -> BackendProviders.load(getClass().getClassLoader(),
                List.of(new AuditProvider(), new OtherAuditProvider()))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'audit'").hasMessageContaining(AuditProvider.class.getName())
                .hasMessageContaining(OtherAuditProvider.class.getName());
    }

    @Test
    void anOverrideReplacesTheServiceLoadedProviderOfItsName() throws Exception {
        OtherAuditProvider override = new OtherAuditProvider();
        BackendProviders providers = BackendProviders.load(registering(AuditProvider.class), List.of(override));
        assertThat(providers.all()).filteredOn(p -> p.name().equalsIgnoreCase("audit")).containsExactly(override);
    }

    /** Capture's defaults are read apart from the pipeline (in a static, for a logback.xml appender): never a throw. */
    @Test
    void captureExclusionsAreReadEvenWhenTwoRegistrationsClaimOneName() throws Exception {
        ClassLoader loader = registering(AuditProvider.class, OtherAuditProvider.class);
        assertThat(BackendProviders.captureExcludedLoggers(loader)).contains("com.example.otheraudit", "org.apache.kafka");
    }
}
