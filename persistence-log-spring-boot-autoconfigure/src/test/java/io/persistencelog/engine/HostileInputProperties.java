package io.persistencelog.engine;

import io.persistencelog.codec.QueuedLogEntry;

import io.persistencelog.codec.Redactor;

import io.persistencelog.codec.JsonLineEncoder;

import static org.assertj.core.api.Assertions.assertThat;

import io.persistencelog.AppLogger;
import io.persistencelog.AppLoggerFactory;
import io.persistencelog.LogLevel;
import io.persistencelog.LogEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Arbitrary field maps with any code points, huge values, cycles and objects that throw: every call returns
 * normally and yields exactly one valid JSON line.
 */
class HostileInputProperties {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_LENGTH = 2_000;

    @Property(tries = 300)
    void anyKeyValuesBecomeExactlyOneValidJsonLine(@ForAll("keyValues") List<Object> keyValues,
            @ForAll("anyText") String message) {
        Object[] array = materialise(keyValues);
        JsonLineEncoder encoder = new JsonLineEncoder(MAX_LENGTH);
        QueuedLogEntry entry = new QueuedLogEntry(System.currentTimeMillis(), LogLevel.INFO, "prop", message, "t",
                array, Redactor.defaults());
        String line = encoder.encode(entry).toString();

        assertThat(line).endsWith("\n");
        assertThat(line.indexOf('\n')).isEqualTo(line.length() - 1);
        JsonNode node = JSON.readTree(line);
        assertThat(node.isObject()).isTrue();
        assertThat(node.get("logger").asString()).isEqualTo("prop");
        node.properties().forEach(field -> {
            if (field.getValue().isString()) {
                assertThat(field.getValue().asString().length()).isLessThanOrEqualTo(MAX_LENGTH + 40);
            }
        });
    }

    private @Nullable AsyncPersistencePipeline pipeline;
    private final CollectingBackend backend = new CollectingBackend("hostile");

    @BeforeProperty
    void installPipeline() {
        pipeline = Pipelines.started(Pipelines.settings(10_000, OverflowPolicy.BLOCK), backend);
        PipelineHolder.install(pipeline);
    }

    @AfterProperty
    void uninstallPipeline() {
        AsyncPersistencePipeline p = pipeline;
        if (p != null) {
            PipelineHolder.uninstall(p);
            p.shutdown(Duration.ofSeconds(10));
        }
    }

    /**
     * Through the persisting path (queue, lane, backend): every call returns normally, none is swallowed
     * as an internal error, and each one reaches the backend as exactly one entry that encodes to one
     * valid JSON line.
     */
    @Property(tries = 100)
    void appLoggerCallsNeverThrow(@ForAll("keyValues") List<Object> keyValues, @ForAll("anyText") String message) {
        AsyncPersistencePipeline p = java.util.Objects.requireNonNull(pipeline);
        AppLogger log = AppLoggerFactory.getAppLogger("hostile", true, false);
        long internalErrors = InternalErrors.count();
        int before = backend.entries.size();
        log.error(message, materialise(keyValues));
        log.info(message, materialise(keyValues));
        assertThat(p.flush(Duration.ofSeconds(30))).isTrue();

        assertThat(InternalErrors.count()).as("calls swallowed as internal errors").isEqualTo(internalErrors);
        List<LogEntry> reached = backend.entries.subList(before, backend.entries.size());
        assertThat(reached).extracting(LogEntry::level).containsExactly(LogLevel.ERROR, LogLevel.INFO);
        JsonLineEncoder encoder = new JsonLineEncoder(MAX_LENGTH);
        for (LogEntry entry : reached) {
            assertThat(entry.logger()).isEqualTo("hostile");
            JsonNode node = JSON.readTree(encoder.encode(entry).toString());
            assertThat(node.get("logger").asString()).isEqualTo("hostile");
        }
    }

    @Provide
    Arbitrary<String> anyText() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(200),
                Arbitraries.strings().withCharRange('\uD800', '\uDFFF').ofMaxLength(10),
                Arbitraries.strings().all().ofMinLength(MAX_LENGTH).ofMaxLength(MAX_LENGTH * 3));
    }

    @Provide
    Arbitrary<List<Object>> keyValues() {
        Arbitrary<Object> keys = Arbitraries.oneOf(anyText().map(s -> (Object) s), Arbitraries.integers().map(i -> i),
                Arbitraries.just(null), Arbitraries.of("message", "level", "error", "password"));
        Arbitrary<Object> values = Arbitraries.oneOf(anyText().map(s -> s), Arbitraries.integers().map(i -> i),
                Arbitraries.longs().map(l -> l), Arbitraries.doubles().map(d -> d),
                Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY).map(d -> d), Arbitraries.just(null),
                Arbitraries.of(Hostile.values()).map(h -> h));
        return Arbitraries.oneOf(keys, values).list().ofMaxSize(12);
    }

    /** Stand-ins materialised inside the property: jqwik hashes generated values, and cycles cannot be hashed. */
    enum Hostile {
        THROWING, CYCLIC_MAP, CYCLIC_LIST, BYTES, EXCEPTION, ITERATOR_ERROR
    }

    private static Object[] materialise(List<Object> keyValues) {
        Object[] array = keyValues.toArray();
        for (int i = 0; i < array.length; i++) {
            if (array[i] instanceof Hostile h) {
                array[i] = switch (h) {
                    case THROWING -> throwingObject();
                    case CYCLIC_MAP -> cyclicMap();
                    case CYCLIC_LIST -> cyclicList();
                    case BYTES -> new byte[] { 1, 2, 3 };
                    case EXCEPTION -> new RuntimeException("boom");
                    case ITERATOR_ERROR -> iteratorError();
                };
            }
        }
        return array;
    }

    private static Object throwingObject() {
        return new Object() {
            @Override
            public String toString() {
                throw new IllegalStateException("toString failed");
            }
        };
    }

    /** A collection whose iterator fails with an Error (an assertion), not an exception. */
    private static Object iteratorError() {
        return new Iterable<Object>() {
            @Override
            public java.util.Iterator<Object> iterator() {
                throw new AssertionError("no iterator");
            }
        };
    }

    private static Object cyclicMap() {
        Map<String, Object> map = new HashMap<>();
        map.put("self", map);
        map.put("n", 1);
        return map;
    }

    private static Object cyclicList() {
        List<Object> list = new ArrayList<>();
        list.add(list);
        list.add(list);
        return list;
    }
}
