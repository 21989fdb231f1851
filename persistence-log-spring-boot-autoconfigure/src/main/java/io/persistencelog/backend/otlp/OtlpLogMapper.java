package io.persistencelog.backend.otlp;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.common.Value;
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
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

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
 * {@code array_value} of that type (a mixed list becomes an array of strings). The OpenTelemetry API of
 * Spring Boot's managed version has no map-valued attribute, so a map is flattened into dotted keys
 * ({@code order.id}, {@code order.total}), the semantic conventions' own way of nesting.</li>
 * <li>{@code thread.name}; a throwable as {@code exception.type}, {@code exception.message} and
 * {@code exception.stacktrace}.</li>
 * <li>the trace context of the MDC ({@link TraceContext}) as the record's trace id, span id and flags; the
 * fields it came from are not repeated as attributes.</li>
 * </ul>
 */
final class OtlpLogMapper {

    /** How deep nested maps are flattened before the rest is written as text (a cyclic map stops here). */
    private static final int MAX_DEPTH = 8;

    private final Resource resource;
    private final Clock clock;
    private final int maxValueLength;
    private final Map<String, InstrumentationScopeInfo> scopes = new HashMap<>();

    OtlpLogMapper(Map<String, String> resourceAttributes, Clock clock, int maxValueLength) {
        AttributesBuilder attributes = Attributes.builder();
        resourceAttributes.forEach(attributes::put);
        this.resource = Resource.create(attributes.build());
        this.clock = clock;
        this.maxValueLength = maxValueLength;
    }

    Resource resource() {
        return resource;
    }

    LogRecordData map(LogEntry entry) {
        long observed = epochNanos(clock.millis());
        Map<String, Object> fields = entry.fields();
        TraceContext trace = TraceContext.of(fields);
        AttributesBuilder attributes = Attributes.builder();
        fields.forEach((key, value) -> {
            if (trace != null && TraceContext.isTraceKey(key)) {
                return;
            }
            put(attributes, key, value, 0);
        });
        attributes.put("thread.name", entry.thread());
        Throwable error = entry.error();
        if (error != null) {
            attributes.put("exception.type", error instanceof RecordedThrowable recorded ? recorded.recordedType()
                    : error.getClass().getName());
            String message = error.getMessage();
            if (message != null) {
                attributes.put("exception.message", cut(message));
            }
            attributes.put("exception.stacktrace", JsonLineEncoder.stackTrace(error));
        }
        Attributes built = attributes.build();
        SpanContext spanContext = trace == null ? SpanContext.getInvalid()
                : SpanContext.create(trace.traceId(), trace.spanId(), TraceFlags.fromByte(trace.flags()),
                        TraceState.getDefault());
        Instant timestamp = entry.timestamp();
        long timestampNanos = TimeUnit.SECONDS.toNanos(timestamp.getEpochSecond()) + timestamp.getNano();
        return new Record(resource, scope(entry.logger()), timestampNanos, observed, spanContext,
                severity(entry.level()), entry.level().name(), cut(entry.message()), built);
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

    private void put(AttributesBuilder attributes, String key, @Nullable Object value, int depth) {
        if (value == null) {
            attributes.put(key, "null");
        }
        else if (value instanceof String s) {
            attributes.put(key, cut(s));
        }
        else if (value instanceof Boolean b) {
            attributes.put(key, b);
        }
        else if (isInteger(value)) {
            Long l = asLong((Number) value);
            if (l != null) {
                attributes.put(key, l.longValue());
            }
            else {
                attributes.put(key, value.toString()); // a BigInteger beyond 64 bits keeps all its digits as text
            }
        }
        else if (value instanceof Number n) {
            attributes.put(key, n.doubleValue());
        }
        else if (value instanceof Map<?, ?> map && depth < MAX_DEPTH) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                put(attributes, key + "." + SafeText.toText(e.getKey()), e.getValue(), depth + 1);
            }
        }
        else if (value instanceof Collection<?> list) {
            putArray(attributes, key, new ArrayList<>(list));
        }
        else if (value instanceof Object[] array) {
            putArray(attributes, key, List.of(array).stream().map(v -> (Object) (v == null ? "null" : v)).toList());
        }
        else if (value instanceof Throwable t) {
            attributes.put(key, cut(SafeText.toText(t)));
        }
        else {
            attributes.put(key, cut(SafeText.toText(value)));
        }
    }

    /** A list as one typed array: all integers, all decimals, all booleans, else all strings. */
    private void putArray(AttributesBuilder attributes, String key, List<?> values) {
        boolean allIntegers = !values.isEmpty();
        boolean allNumbers = !values.isEmpty();
        boolean allBooleans = !values.isEmpty();
        for (Object v : values) {
            allIntegers &= v != null && isInteger(v) && asLong((Number) v) != null;
            allNumbers &= v instanceof Number;
            allBooleans &= v instanceof Boolean;
        }
        if (allIntegers) {
            attributes.put(AttributeKey.longArrayKey(key), values.stream().map(v -> ((Number) v).longValue()).toList());
        }
        else if (allNumbers) {
            attributes.put(AttributeKey.doubleArrayKey(key),
                    values.stream().map(v -> ((Number) v).doubleValue()).toList());
        }
        else if (allBooleans) {
            attributes.put(AttributeKey.booleanArrayKey(key), values.stream().map(v -> (Boolean) v).toList());
        }
        else {
            List<String> strings = new ArrayList<>(values.size());
            for (Object v : values) {
                strings.add(cut(SafeText.toText(v)));
            }
            attributes.put(AttributeKey.stringArrayKey(key), strings);
        }
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

    /** One entry as the SDK's log record data; built on the lane thread and marshalled at once. */
    private record Record(Resource resource, InstrumentationScopeInfo scope, long timestampNanos, long observedNanos,
            SpanContext spanContext, Severity severity, String severityText, String message, Attributes attributes)
            implements LogRecordData {

        @Override
        public Resource getResource() {
            return resource;
        }

        @Override
        public InstrumentationScopeInfo getInstrumentationScopeInfo() {
            return scope;
        }

        @Override
        public long getTimestampEpochNanos() {
            return timestampNanos;
        }

        @Override
        public long getObservedTimestampEpochNanos() {
            return observedNanos;
        }

        @Override
        public SpanContext getSpanContext() {
            return spanContext;
        }

        @Override
        public Severity getSeverity() {
            return severity;
        }

        @Override
        public String getSeverityText() {
            return severityText;
        }

        @Override
        @SuppressWarnings("deprecation") // still abstract in the SDK; getBodyValue is what the marshaler reads
        public Body getBody() {
            return Body.string(message);
        }

        @Override
        public Value<?> getBodyValue() {
            return Value.of(message);
        }

        @Override
        public Attributes getAttributes() {
            return attributes;
        }

        @Override
        public int getTotalAttributeCount() {
            return attributes.size();
        }
    }
}
