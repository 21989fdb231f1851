package io.persistencelog.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import io.persistencelog.codec.JsonLineEncoder;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher parses and masks each entry's fields before the lanes write them (issue #16). What a backend
 * writes later must be what was examined then, and one hostile entry must not cost its batch.
 */
class DispatcherPreparedFieldsTest {

    private static final String SECRET = "hunter2-s3cr3t";
    private static final String TOKEN = "abcdefghijklmnop0123456789";

    private static String line(LogEntry entry) {
        return new JsonLineEncoder(100_000).encode(entry).toString();
    }

    /** An iterable whose iterator fails with an Error, not an exception (an assertion in a user's collection). */
    private static final class FailingIterable implements Iterable<Object> {
        @Override
        public Iterator<Object> iterator() {
            throw new AssertionError("iterator not available");
        }
    }

    @Test
    void anErrorWhilePreparingOneEntryCostsNoOtherEntryOfItsBatch() throws Exception {
        CollectingBackend backend = new CollectingBackend("c");
        Pipelines.withStarted(backend, pipeline -> {
            pipeline.log(LogLevel.INFO, "t", "before", new Object[] { "user", "ann" });
            pipeline.log(LogLevel.INFO, "t", "hostile", new Object[] { "items", new FailingIterable() });
            pipeline.log(LogLevel.INFO, "t", "after", new Object[] { "user", "bob" });
            assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
            // Before issue #16 the backend met the failure on its own thread: the file wrote that one entry
            // with an encodingError and every other entry as usual.
            assertThat(backend.entries).extracting(LogEntry::message).containsExactly("before", "hostile", "after");
            assertThat(pipeline.failedCount()).isZero();
            assertThat(line(backend.entries.get(1))).contains("AssertionError");
        });
    }

    @Test
    void anApplicationEntryWhoseFieldsFailWithAnErrorCostsNoOtherEntryOfItsBatch() throws Exception {
        CollectingBackend backend = new CollectingBackend("c");
        Pipelines.withStarted(backend, pipeline -> {
            pipeline.log(LogLevel.INFO, "t", "before", new Object[] { "user", "ann" });
            pipeline.submit(new LogEntry() {
                @Override
                public Instant timestamp() {
                    return Instant.now();
                }

                @Override
                public LogLevel level() {
                    return LogLevel.INFO;
                }

                @Override
                public String logger() {
                    return "t";
                }

                @Override
                public String message() {
                    return "hostile";
                }

                @Override
                public String thread() {
                    return "main";
                }

                @Override
                public Map<String, Object> fields() {
                    throw new AssertionError("fields not available");
                }

                @Override
                public @Nullable Throwable error() {
                    return null;
                }
            });
            pipeline.log(LogLevel.INFO, "t", "after", new Object[] { "user", "bob" });
            assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(backend.entries).extracting(LogEntry::message).containsExactly("before", "hostile", "after");
            assertThat(pipeline.failedCount()).isZero();
            assertThat(line(backend.entries.get(1))).contains("encodingError").contains("AssertionError");
        });
    }

    @Test
    void aMutableObjectChangedAfterTheCallIsWrittenAsTheTextThatWasMasked() throws Exception {
        CollectingBackend backend = new CollectingBackend("c");
        Pipelines.withStarted(backend, pipeline -> {
            StringBuilder trace = new StringBuilder("step 1");
            pipeline.log(LogLevel.INFO, "t", "m", new Object[] { "trace", trace });
            assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
            // The caller goes on with its builder while a backend (a second lane, a retry) has yet to write.
            trace.append(" Authorization: Bearer ").append(TOKEN);
            String line = line(backend.entries.get(0));
            assertThat(line).doesNotContain(TOKEN);
        });
    }

    @Test
    void aToStringThatChangesBetweenCallsIsWrittenAsTheTextThatWasMasked() {
        AtomicInteger calls = new AtomicInteger();
        Object shifty = new Object() {
            @Override
            public String toString() {
                return calls.incrementAndGet() == 1 ? "harmless" : "password=" + SECRET;
            }
        };
        CollectingBackend backend = new CollectingBackend("c");
        AsyncPersistencePipeline pipeline = Pipelines.started(Pipelines.settings(100, OverflowPolicy.DROP), backend);
        try {
            pipeline.log(LogLevel.INFO, "t", "m", new Object[] { "value", shifty });
            assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(line(backend.entries.get(0))).doesNotContain(SECRET);
        }
        finally {
            pipeline.shutdown(Duration.ofSeconds(5));
        }
    }

    @Test
    void aKeyValueArrayReusedAfterTheCallNeverReachesABackendUnmasked() throws Exception {
        CollectingBackend backend = new CollectingBackend("c");
        Pipelines.withStarted(backend, pipeline -> {
            Object[] keyValues = { "note", "plain", "user", "ann" };
            pipeline.log(LogLevel.INFO, "t", "m", keyValues);
            assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
            // A caller that reuses its array for the next call, before a lane has written this one.
            keyValues[1] = "Bearer " + TOKEN;
            keyValues[2] = "password";
            keyValues[3] = SECRET;
            String line = line(backend.entries.get(0));
            assertThat(line).doesNotContain(TOKEN).doesNotContain(SECRET);
        });
    }
}
