/**
 * The {@code otlp} backend: entries as OpenTelemetry log records over OTLP/HTTP protobuf, encoded by the
 * OpenTelemetry exporter's marshalers (an optional dependency: without it the backend reports itself
 * unavailable).
 */
@NullMarked
package io.persistencelog.backend.otlp;

import org.jspecify.annotations.NullMarked;
