package io.persistencelog.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.persistencelog.engine.AsyncPersistencePipeline;
import io.persistencelog.codec.Redactor;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The Spring property's default field patterns are the engine's (issue #12 point 4). */
class RedactionDefaultsAutoConfigurationTest {

    @TempDir
    Path dir;

    @Test
    void theDefaultPatternsOfThePropertyAreTheExtendedOnes() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LogPersistenceAutoConfiguration.class))
                .withPropertyValues("log-persistence.file.directory=" + dir)
                .run(context -> {
                    Redactor redactor = context.getBean(AsyncPersistencePipeline.class).redactor();
                    for (String name : java.util.List.of("passwd", "db_pwd", "aws_credentials", "private_key",
                            "jwt", "bearer", "sessionId")) {
                        assertThat(redactor.isSensitive(name)).as(name).isTrue();
                    }
                    assertThat(redactor.isSensitive("user_id")).isFalse();
                });
    }
}
