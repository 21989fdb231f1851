package io.persistencelog.backend.otlp;

import io.opentelemetry.api.common.KeyValue;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.incubator.common.ExtendedAttributeKey;
import io.opentelemetry.api.incubator.common.ExtendedAttributes;
import io.opentelemetry.api.incubator.common.ExtendedAttributesBuilder;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.data.internal.ExtendedLogRecordData;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A record whose attributes are the SDK's extended attributes (from {@code opentelemetry-api-incubator}), which
 * the OTLP exporter's marshalers encode with nested values: a map as {@code kvlist_value} with typed values, and,
 * where the API has AnyValue-typed attributes, a mixed list as an {@code array_value} of {@code AnyValue}s.
 * Loaded only when {@link OtlpLogMapper#extendedAttributesAvailable} says the incubator API is present.
 */
final class OtlpExtendedRecord extends OtlpLogMapper.HeaderRecord implements ExtendedLogRecordData {

    /**
     * {@code ExtendedAttributeKey.valueKey(String)}: in the incubator API from OpenTelemetry 1.62 (Spring Boot
     * 4.1), absent from 1.55 (Spring Boot 4.0), which is compiled against, hence looked up.
     */
    private static final @Nullable MethodHandle VALUE_KEY = valueKey();

    private final ExtendedAttributes attributes;

    private OtlpExtendedRecord(OtlpLogMapper.Header header, ExtendedAttributes attributes) {
        super(header, attributes.size());
        this.attributes = attributes;
    }

    static LogRecordData create(OtlpLogMapper.Header header, Map<String, Value<?>> values) {
        ExtendedAttributesBuilder builder = ExtendedAttributes.builder();
        values.forEach((key, value) -> put(builder, key, value));
        return new OtlpExtendedRecord(header, builder.build());
    }

    /** Whether a list mixing types (or holding maps) is sent as an array of AnyValues rather than of text. */
    static boolean anyValueArrays() {
        return VALUE_KEY != null;
    }

    @SuppressWarnings({ "unchecked", "deprecation" }) // extendedAttributesKey: deprecated in 1.62 for valueKey
    private static void put(ExtendedAttributesBuilder builder, String key, Value<?> value) {
        switch (value.getType()) {
            case STRING -> builder.put(key, (String) value.getValue());
            case BOOLEAN -> builder.put(key, ((Boolean) value.getValue()).booleanValue());
            case LONG -> builder.put(key, ((Long) value.getValue()).longValue());
            case DOUBLE -> builder.put(key, ((Double) value.getValue()).doubleValue());
            case KEY_VALUE_LIST -> {
                ExtendedAttributesBuilder nested = ExtendedAttributes.builder();
                for (KeyValue kv : (List<KeyValue>) value.getValue()) {
                    put(nested, kv.getKey(), kv.getValue());
                }
                builder.put(ExtendedAttributeKey.extendedAttributesKey(key), nested.build());
            }
            case ARRAY -> {
                List<Value<?>> items = (List<Value<?>>) value.getValue();
                switch (OtlpLogMapper.arrayKind(items)) {
                    case LONG -> builder.put(ExtendedAttributeKey.longArrayKey(key), OtlpLogMapper.longs(items));
                    case DOUBLE -> builder.put(ExtendedAttributeKey.doubleArrayKey(key), OtlpLogMapper.doubles(items));
                    case BOOLEAN -> builder.put(ExtendedAttributeKey.booleanArrayKey(key), OtlpLogMapper.booleans(items));
                    case STRING -> builder.put(ExtendedAttributeKey.stringArrayKey(key), OtlpLogMapper.strings(items));
                    default -> {
                        ExtendedAttributeKey<Value<?>> anyValue = anyValueKey(key);
                        if (anyValue != null) {
                            builder.put(anyValue, value);
                        }
                        else {
                            builder.put(ExtendedAttributeKey.stringArrayKey(key), OtlpLogMapper.strings(items));
                        }
                    }
                }
            }
            default -> builder.put(key, value.asString());
        }
    }

    @SuppressWarnings("unchecked")
    private static @Nullable ExtendedAttributeKey<Value<?>> anyValueKey(String key) {
        MethodHandle handle = VALUE_KEY;
        if (handle == null) {
            return null;
        }
        try {
            return (ExtendedAttributeKey<Value<?>>) handle.invoke(key);
        }
        catch (Throwable ex) {
            return null; // the items are sent as text instead
        }
    }

    private static @Nullable MethodHandle valueKey() {
        try {
            return MethodHandles.publicLookup().findStatic(ExtendedAttributeKey.class, "valueKey",
                    MethodType.methodType(ExtendedAttributeKey.class, String.class));
        }
        catch (NoSuchMethodException | IllegalAccessException | LinkageError ex) {
            return null;
        }
    }

    @Override
    public ExtendedAttributes getExtendedAttributes() {
        return attributes;
    }
}
