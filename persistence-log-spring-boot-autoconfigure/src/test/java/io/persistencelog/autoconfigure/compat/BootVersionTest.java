package io.persistencelog.autoconfigure.compat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootVersion;

/** The compatibility legs really run on the Boot version their profile names (e.g. 4.1.2 under boot-4.1). */
class BootVersionTest {

    @Test
    void runsOnTheSpringBootVersionTheBuildSelected() {
        assertThat(SpringBootVersion.getVersion()).isEqualTo(System.getProperty("expected.spring-boot.version"));
    }
}
