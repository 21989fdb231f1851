package io.persistencelog.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import io.persistencelog.codec.JsonLineEncoder;
import java.time.Duration;
import java.util.Iterator;
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
    void anErrorWhilePreparingOneEntryCostsNoOtherEntryOfItsBatch() {
        CollectingBackend backend = new CollectingBackend("c");
        AsyncPersistencePipeline pipeline = Pipelines.started(Pipelines.settings(100, OverflowPolicy.DROP), backend);
        try {
            pipeline.log(LogLevel.INFO, "t", "before", new Object[] { "user", "ann" });
            pipeline.log(LogLevel.INFO, "t", "hostile", new Object[] { "items", new FailingIterable() });
            pipeline.log(LogLevel.INFO, "t", "after", new Object[] { "user", "bob" });
            assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
            // Before issue #16 the backend met the failure on its own thread: the file wrote that one entry
            // with an encodingError and every other entry as usual.
            assertThat(backend.entries).extracting(LogEntry::message).containsExactly("before", "hostile", "after");
            assertThat(pipeline.failedCount()).isZero();
            assertThat(line(backend.entries.get(1))).contains("encodingError").contains("AssertionError");
        }
        finally {
            pipeline.shutdown(Duration.ofSeconds(5));
        }
    }
}
