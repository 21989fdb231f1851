package io.persistencelog.backend.otlp;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.common.KeyValue;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.common.ValueType;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.logs.data.Body;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.resources.Resource;
import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import io.persistencelog.codec.JsonLineEncoder;
import io.persistencelog.codec.RecordedThrowable;
import io.persistencelog.codec.SafeText;
import io.persistencelog.codec.TraceContext;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

// Longer than 350 lines on purpose: the OpenTelemetry logs data model mapping (severity, typed and nested attributes,
// exception and trace context, resource) in one place, so both attribute flavours (plain, extended) map the same way.
/**
 * Maps an entry to the OpenTelemetry logs data model, as the SDK's {@link LogRecordData} that the OTLP
 * exporter's marshalers encode.
 *
 * <ul>
 * <li>{@code time_unix_nano} = the entry's timestamp; {@code observed_time_unix_nano} = when this backend
 * took it.</li>
 * <li>severity: TRACE 1, DEBUG 5, INFO 9, WARN 13, ERROR 17, and the level's name as severity text.</li>
 * <li>body = the message; instrumentation scope = the logger name.</li>
 * <li>every field an attribute of its own type: integers {@code int_value}, decimals {@code double_value},
 * booleans {@code bool_value}, text {@code string_value}; a list or array of one of those types an
 * {@code array_value} of that type; a map a {@code kvlist_value} whose values keep their own types, at any
 * depth. A map needs the SDK's extended attributes, which live in {@code opentelemetry-api-incubator}: without
 * it on the classpath a map is flattened into dotted keys ({@code order.id}, {@code order.total}), the semantic
 * conventions' own way of nesting. A list mixing types (or holding maps) is an {@code array_value} of
 * {@code AnyValue}s where the API has AnyValue-typed attributes ({@code ExtendedAttributeKey.valueKey},
 * OpenTelemetry 1.62, Spring Boot 4.1); with OpenTelemetry 1.55 (Spring Boot 4.0) it is an array of the items'
 * text.</li>
 * <li>{@code thread.name}; a throwable as {@code exception.type}, {@code exception.message} and
 * {@code exception.stacktrace}.</li>
 * <li>the trace context of the MDC ({@link TraceContext}) as the record's trace id, span id and flags; the
 * fields it came from are not repeated as attributes.</li>
 * </ul>
 *
 * <p>Nested values are walked with the file encoder's bounds (depth 8, 1,000 items per container), the same
 * bounds the redactor examines: nothing deeper than what was checked for secrets is ever sent.
 */
final class OtlpLogMapper {

    /** Containers nested deeper than this are replaced by a marker, as the file encoder does. */
    static final int MAX_DEPTH = 8;
    /** Items per map or list, as the file encoder writes them. */
    static final int MAX_ITEMS = 1_000;
    static final String MAX_DEPTH_MARKER = "<max depth reached>";

    private static final boolean EXTENDED_AVAILABLE = extendedAttributesAvailable(OtlpLogMapper.class.getClassLoader());

    private final Resource resource;
    private final Clock clock;
    private final int maxValueLength;
    private final boolean extended;
    private final Map<String, InstrumentationScopeInfo> scopes = new HashMap<>();

    OtlpLogMapper(Map<String, String> resourceAttributes, Clock clock, int maxValueLength) {
        this(resourceAttributes, clock, maxValueLength, EXTENDED_AVAILABLE);
    }

    /** With {@code extended} false maps are flattened, as when the incubator API is absent. */
    OtlpLogMapper(Map<String, String> resourceAttributes, Clock clock, int maxValueLength, boolean extended) {
        AttributesBuilder attributes = Attributes.builder();
        resourceAttributes.forEach(attributes::put);
        this.resource = Resource.create(attributes.build());
        this.clock = clock;
        this.maxValueLength = maxValueLength;
        this.extended = extended;
    }

    /**
     * Whether map-valued attributes can be sent as {@code kvlist_value}: the incubator API (an optional
     * dependency, not in Spring Boot's BOM) and the SDK's extended log record that the exporter's marshalers
     * recognise must both load.
     */
    static boolean extendedAttributesAvailable(@Nullable ClassLoader loader) {
        try {
            Class.forName("io.opentelemetry.api.incubator.common.ExtendedAttributes", false, loader);
            Class.forName("io.opentelemetry.sdk.logs.data.internal.ExtendedLogRecordData", false, loader);
            return true;
        }
        catch (ClassNotFoundException | LinkageError ex) {
            return false;
        }
    }

    Resource resource() {
        return resource;
    }

    LogRecordData map(LogEntry entry) {
        long observed = epochNanos(clock.millis());
        Map<String, Object> fields = entry.fields();
        TraceContext trace = TraceContext.of(fields);
        Map<String, Value<?>> values = new LinkedHashMap<>();
        fields.forEach((key, value) -> {
            if (trace != null && TraceContext.isTraceKey(key)) {
                return;
            }
            values.put(key, toValue(value, 0));
        });
        values.put("thread.name", Value.of(entry.thread()));
        Throwable error = entry.error();
        if (error != null) {
            values.put("exception.type", Value.of(error instanceof RecordedThrowable recorded
                    ? recorded.recordedType() : error.getClass().getName()));
            String message = error.getMessage();
            if (message != null) {
                values.put("exception.message", Value.of(cut(message)));
            }
            values.put("exception.stacktrace", Value.of(JsonLineEncoder.stackTrace(error)));
        }
        SpanContext spanContext = trace == null ? SpanContext.getInvalid()
                : SpanContext.create(trace.traceId(), trace.spanId(), TraceFlags.fromByte(trace.flags()),
                        TraceState.getDefault());
        Instant timestamp = entry.timestamp();
        long timestampNanos = TimeUnit.SECONDS.toNanos(timestamp.getEpochSecond()) + timestamp.getNano();
        Header header = new Header(resource, scope(entry.logger()), timestampNanos, observed, spanContext,
                severity(entry.level()), entry.level().name(), cut(entry.message()));
        if (extended) {
            return OtlpExtendedRecord.create(header, values); // loads the incubator classes only here
        }
        AttributesBuilder attributes = Attributes.builder();
        values.forEach((key, value) -> putFlattened(attributes, key, value));
        return plainRecord(header, attributes.build());
    }

    /** With plain attributes (maps flattened). */
    private static LogRecordData plainRecord(Header header, Attributes attributes) {
        return new HeaderRecord(header, attributes.size()) {
            @Override
            public Attributes getAttributes() {
                return attributes;
            }
        };
    }

    private InstrumentationScopeInfo scope(String logger) {
        return scopes.computeIfAbsent(logger, InstrumentationScopeInfo::create);
    }

    static Severity severity(LogLevel level) {
        return switch (level) {
            case TRACE -> Severity.TRACE;
            case DEBUG -> Severity.DEBUG;
            case INFO -> Severity.INFO;
            case WARN -> Severity.WARN;
            case ERROR -> Severity.ERROR;
        };
    }

    /** A field value as an OpenTelemetry value of its own type, nested containers included, within the bounds. */
    private Value<?> toValue(@Nullable Object value, int depth) {
        if (value == null) {
            return Value.of("null");
        }
        if (value instanceof String s) {
            return Value.of(cut(s));
        }
        if (value instanceof Boolean b) {
            return Value.of(b.booleanValue());
        }
        if (isInteger(value)) {
            Long l = asLong((Number) value);
            // a BigInteger beyond 64 bits keeps all its digits as text
            return l != null ? Value.of(l.longValue()) : Value.of(value.toString());
        }
        if (value instanceof Number n) {
            return Value.of(n.doubleValue());
        }
        boolean container = value instanceof Map<?, ?> || value instanceof Iterable<?> || value.getClass().isArray()
                || value instanceof Optional<?>;
        if (container && depth >= MAX_DEPTH) {
            return Value.of(MAX_DEPTH_MARKER); // deeper than the redactor looked: never sent
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Value<?>> entries = new LinkedHashMap<>();
            int count = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (++count > MAX_ITEMS) {
                    entries.put("<truncated>", Value.of("more than " + MAX_ITEMS + " entries"));
                    break;
                }
                entries.put(SafeText.toText(e.getKey()), toValue(e.getValue(), depth + 1));
            }
            return Value.of(entries);
        }
        if (value instanceof Iterable<?> items) {
            List<Value<?>> list = new ArrayList<>();
            for (Object item : items) {
                if (list.size() >= MAX_ITEMS) {
                    list.add(Value.of("<truncated: more than " + MAX_ITEMS + " items>"));
                    break;
                }
                list.add(toValue(item, depth + 1));
            }
            return Value.of(list);
        }
        if (value.getClass().isArray()) {
            int length = Array.getLength(value);
            List<Value<?>> list = new ArrayList<>(Math.min(length, MAX_ITEMS + 1));
            for (int i = 0; i < length; i++) {
                if (i >= MAX_ITEMS) {
                    list.add(Value.of("<truncated: " + length + " items>"));
                    break;
                }
                list.add(toValue(Array.get(value, i), depth + 1));
            }
            return Value.of(list);
        }
        if (value instanceof Optional<?> optional) {
            return toValue(optional.orElse(null), depth + 1);
        }
        return Value.of(cut(SafeText.toText(value)));
    }

    /** Without the incubator API: a map's entries become dotted keys, a list a typed array. */
    @SuppressWarnings("unchecked")
    private static void putFlattened(AttributesBuilder attributes, String key, Value<?> value) {
        switch (value.getType()) {
            case STRING -> attributes.put(key, (String) value.getValue());
            case BOOLEAN -> attributes.put(key, (Boolean) value.getValue());
            case LONG -> attributes.put(key, (Long) value.getValue());
            case DOUBLE -> attributes.put(key, (Double) value.getValue());
            case KEY_VALUE_LIST -> {
                for (KeyValue kv : (List<KeyValue>) value.getValue()) {
                    putFlattened(attributes, key + "." + kv.getKey(), kv.getValue());
                }
            }
            case ARRAY -> {
                List<Value<?>> items = (List<Value<?>>) value.getValue();
                switch (arrayKind(items)) {
                    case LONG -> attributes.put(AttributeKey.longArrayKey(key), longs(items));
                    case DOUBLE -> attributes.put(AttributeKey.doubleArrayKey(key), doubles(items));
                    case BOOLEAN -> attributes.put(AttributeKey.booleanArrayKey(key), booleans(items));
                    default -> attributes.put(AttributeKey.stringArrayKey(key), strings(items));
                }
            }
            default -> attributes.put(key, value.asString());
        }
    }

    /** What typed array a list can be sent as; {@code MIXED} when none fits every item. */
    enum ArrayKind {
        LONG, DOUBLE, BOOLEAN, STRING, MIXED
    }

    static ArrayKind arrayKind(List<Value<?>> items) {
        if (items.isEmpty()) {
            return ArrayKind.STRING;
        }
        boolean longs = true;
        boolean numbers = true;
        boolean booleans = true;
        boolean strings = true;
        for (Value<?> item : items) {
            ValueType type = item.getType();
            longs &= type == ValueType.LONG;
            numbers &= type == ValueType.LONG || type == ValueType.DOUBLE;
            booleans &= type == ValueType.BOOLEAN;
            strings &= type == ValueType.STRING;
        }
        return longs ? ArrayKind.LONG : numbers ? ArrayKind.DOUBLE : booleans ? ArrayKind.BOOLEAN
                : strings ? ArrayKind.STRING : ArrayKind.MIXED;
    }

    static List<Long> longs(List<Value<?>> items) {
        return items.stream().map(v -> (Long) v.getValue()).toList();
    }

    static List<Double> doubles(List<Value<?>> items) {
        return items.stream().map(v -> ((Number) v.getValue()).doubleValue()).toList();
    }

    static List<Boolean> booleans(List<Value<?>> items) {
        return items.stream().map(v -> (Boolean) v.getValue()).toList();
    }

    /** Each item as text: a string as itself, anything else as the API renders it. */
    static List<String> strings(List<Value<?>> items) {
        return items.stream().map(v -> v.getType() == ValueType.STRING ? (String) v.getValue() : v.asString())
                .toList();
    }

    private static boolean isInteger(Object value) {
        return value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
                || value instanceof AtomicInteger || value instanceof AtomicLong || value instanceof BigInteger
                || (value instanceof BigDecimal d && d.scale() <= 0);
    }

    private static @Nullable Long asLong(Number n) {
        if (n instanceof BigInteger b) {
            return b.bitLength() < 64 ? b.longValue() : null;
        }
        if (n instanceof BigDecimal d) {
            try {
                return d.longValueExact();
            }
            catch (ArithmeticException ex) {
                return null;
            }
        }
        return n.longValue();
    }

    private String cut(String value) {
        if (value.length() <= maxValueLength) {
            return value;
        }
        return value.substring(0, maxValueLength) + "...[truncated " + (value.length() - maxValueLength) + " chars]";
    }

    private static long epochNanos(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    /** What every record has besides its attributes. */
    record Header(Resource resource, InstrumentationScopeInfo scope, long timestampNanos, long observedNanos,
            SpanContext spanContext, Severity severity, String severityText, String message) {
    }

    /**
     * The log record data every variant shares; the attributes are the subclass's (plain, or the extended ones
     * of {@link OtlpExtendedRecord}). Nothing is dropped, so the total attribute count is the number put. Built
     * on the lane thread and marshalled at once.
     */
    abstract static class HeaderRecord implements LogRecordData {

        private final Header header;
        private final int totalAttributeCount;

        HeaderRecord(Header header, int totalAttributeCount) {
            this.header = header;
            this.totalAttributeCount = totalAttributeCount;
        }

        @Override
        public Resource getResource() {
            return header.resource();
        }

        @Override
        public InstrumentationScopeInfo getInstrumentationScopeInfo() {
            return header.scope();
        }

        @Override
        public long getTimestampEpochNanos() {
            return header.timestampNanos();
        }

        @Override
        public long getObservedTimestampEpochNanos() {
            return header.observedNanos();
        }

        @Override
        public SpanContext getSpanContext() {
            return header.spanContext();
        }

        @Override
        public Severity getSeverity() {
            return header.severity();
        }

        @Override
        public String getSeverityText() {
            return header.severityText();
        }

        @Override
        @SuppressWarnings("deprecation") // still abstract in the SDK; getBodyValue is what the marshaler reads
        public Body getBody() {
            return Body.string(header.message());
        }

        @Override
        public Value<?> getBodyValue() {
            return Value.of(header.message());
        }

        @Override
        public int getTotalAttributeCount() {
            return totalAttributeCount;
        }
    }
}
