package io.persistencelog.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue #12 point 12: dynamic logger names must not grow the timing map (and its meters) without bound. */
class TimingRegistryTest {

    @Test
    void namesBeyondTheCapShareOneBucket() {
        List<String> announced = new ArrayList<>();
        TimingRegistry registry = new TimingRegistry(10);
        registry.onNewName(announced::add);
        for (int i = 0; i < 1_000; i++) {
            registry.recorder("request-" + i).recordNanos(1_000);
        }
        assertThat(registry.snapshot()).hasSize(11).containsKey(TimingRegistry.OTHER);
        assertThat(registry.snapshot().get(TimingRegistry.OTHER).totalCalls()).isEqualTo(990);
        assertThat(announced).hasSize(11).contains(TimingRegistry.OTHER);
        // A name that got its own recorder keeps it.
        assertThat(registry.recorder("request-3")).isSameAs(registry.recorder("request-3"));
        assertThat(registry.recorder("request-500")).isSameAs(registry.recorder(TimingRegistry.OTHER));
    }
}
