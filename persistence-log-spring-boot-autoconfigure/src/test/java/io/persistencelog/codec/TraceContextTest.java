package io.persistencelog.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceContextTest {

    @Test
    void readsMicrometerAndOpenTelemetryKeys() {
        TraceContext micrometer = TraceContext.of(Map.of("traceId", "4bf92f3577b34da6a3ce929d0e0e4736",
                "spanId", "00f067aa0ba902b7"));
        assertThat(micrometer).isEqualTo(new TraceContext("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
                (byte) 1));
        TraceContext otel = TraceContext.of(Map.of("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736",
                "span_id", "00f067aa0ba902b7", "trace_flags", "00"));
        assertThat(otel.sampled()).isFalse();
    }

    @Test
    void aSixtyFourBitTraceIdIsWidenedAndInvalidIdsAreIgnored() {
        assertThat(TraceContext.of(Map.of("traceId", "a3ce929d0e0e4736", "spanId", "00f067aa0ba902b7")).traceId())
                .isEqualTo("0000000000000000a3ce929d0e0e4736");
        assertThat(TraceContext.of(Map.of("traceId", "00000000000000000000000000000000", "spanId", "00f067aa0ba902b7")))
                .isNull();
        assertThat(TraceContext.of(Map.of("traceId", "4bf92f3577b34da6a3ce929d0e0e473g", "spanId", "00f067aa0ba902b7")))
                .isNull();
        assertThat(TraceContext.of(Map.of("traceId", "4bf92f3577b34da6a3ce929d0e0e4736"))).isNull();
        assertThat(TraceContext.of(Map.of("traceId", 42, "spanId", "00f067aa0ba902b7"))).isNull();
    }

    @Test
    void datadogIdsAreTheLowSixtyFourBitsAsUnsignedDecimals() {
        TraceContext trace = new TraceContext("4bf92f3577b34da6ffffffffffffffff", "8000000000000000", (byte) 1);
        assertThat(trace.datadogTraceId()).isEqualTo("18446744073709551615");
        assertThat(trace.datadogSpanId()).isEqualTo("9223372036854775808");
    }
}
