package io.persistencelog.capture;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import io.persistencelog.engine.AsyncPersistencePipeline;
import io.persistencelog.engine.CollectingBackend;
import io.persistencelog.codec.JsonLineEncoder;
import io.persistencelog.engine.OverflowPolicy;
import io.persistencelog.engine.Pipelines;
import io.persistencelog.codec.Secrets;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** Issue #12 point 4 on the SLF4J path: secrets in key/values, the MDC, the message and the exception. */
class CapturedSecretsTest {

    private static final String BASE = "capturedsecrets";
    private static final String SECRET = "hunter2-s3cr3t";
    private static final String JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N";
    private static final String JWT_SIGNATURE = "dozjgNryP4J3jVmNHl0w5N";

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final Logger base = context.getLogger(BASE);
    private final Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private @Nullable PersistenceLogAppender appender;
    private @Nullable AsyncPersistencePipeline pipeline;

    @AfterEach
    void detach() {
        if (appender != null) {
            root.detachAppender(appender);
            appender.stop();
        }
        base.setLevel(null);
        MDC.clear();
        if (pipeline != null) {
            pipeline.shutdown(Duration.ofSeconds(5));
        }
    }

    @Test
    void secretsInKeyValuesMdcMessageAndExceptionNeverReachTheLine() {
        CollectingBackend backend = new CollectingBackend("collect");
        AsyncPersistencePipeline p = Pipelines.started(Pipelines.settings(1024, OverflowPolicy.DROP), backend);
        pipeline = p;
        PersistenceLogAppender a = new PersistenceLogAppender(p);
        a.setContext(context);
        a.setName("secrets-capture");
        a.configure(CaptureSettings.defaults());
        a.start();
        root.addAppender(a);
        base.setLevel(Level.TRACE);
        appender = a;

        MDC.put("Authorization", "Basic dXNlcjpwYXNz");
        MDC.put("upstream", "https://svc:" + SECRET + "@internal/");
        LoggerFactory.getLogger(BASE + ".Login").atError()
                .addKeyValue("password", SECRET)
                .addKeyValue("request", Map.of("headers", List.of(Map.of("Cookie", "SESSION=" + SECRET))))
                .addKeyValue("note", "sent Bearer " + JWT)
                .setCause(new IllegalStateException("token " + JWT + " rejected, password=" + SECRET))
                .log("login with {} failed", JWT);
        MDC.clear();

        assertThat(p.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(backend.entries).hasSize(1);
        String line = new String(new JsonLineEncoder(100_000).encode(backend.entries.get(0)).toByteArray(),
                StandardCharsets.UTF_8);
        assertThat(line).doesNotContain(SECRET).doesNotContain(JWT_SIGNATURE).doesNotContain("dXNlcjpwYXNz")
                .contains("\"type\":\"java.lang.IllegalStateException\"").contains(Secrets.MASK);
        assertThat(backend.entries.get(0).toString()).doesNotContain(JWT_SIGNATURE);
    }
}
