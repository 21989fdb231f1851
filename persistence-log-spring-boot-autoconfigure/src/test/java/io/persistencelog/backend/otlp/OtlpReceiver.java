package io.persistencelog.backend.otlp;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.persistencelog.testing.ScriptedHttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import mockwebserver3.MockResponse;
import okio.Buffer;

/**
 * An in-process OTLP/HTTP collector on 127.0.0.1: answers with the next scripted response (then an empty
 * {@code ExportLogsServiceResponse}, as a collector that accepted everything does) and decodes every request
 * with the official OpenTelemetry proto classes.
 */
final class OtlpReceiver implements AutoCloseable {

    final ScriptedHttpServer server = new ScriptedHttpServer(() -> success(ExportLogsServiceResponse.getDefaultInstance()));

    static MockResponse success(ExportLogsServiceResponse response) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/x-protobuf")
                .body(new Buffer().write(response.toByteArray())).build();
    }

    /** A 200 whose partial success rejects {@code rejected} records with {@code message}. */
    OtlpReceiver thenPartialSuccess(long rejected, String message) {
        server.then(success(ExportLogsServiceResponse.newBuilder().setPartialSuccess(ExportLogsPartialSuccess
                .newBuilder().setRejectedLogRecords(rejected).setErrorMessage(message)).build()));
        return this;
    }

    OtlpReceiver then(int status, String body, String... headers) {
        server.then(status, body, headers);
        return this;
    }

    URI logsUrl() {
        return server.url("/v1/logs");
    }

    /** Every request that arrived, decoded (gunzipped first when it says so). */
    List<ExportLogsServiceRequest> requests() {
        List<ExportLogsServiceRequest> requests = new ArrayList<>();
        for (ScriptedHttpServer.Exchange exchange : server.exchanges) {
            requests.add(decode(exchange));
        }
        return requests;
    }

    static ExportLogsServiceRequest decode(ScriptedHttpServer.Exchange exchange) {
        try {
            byte[] body = exchange.body();
            if ("gzip".equals(exchange.header("Content-Encoding"))) {
                try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                    body = in.readAllBytes();
                }
            }
            return ExportLogsServiceRequest.parseFrom(body);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The records of the requests the receiver accepted (a 2xx), in arrival order. */
    List<LogRecord> acceptedRecords() {
        List<LogRecord> records = new ArrayList<>();
        for (ScriptedHttpServer.Exchange exchange : server.exchanges) {
            if (exchange.accepted()) {
                records.addAll(records(decode(exchange)));
            }
        }
        return records;
    }

    static List<LogRecord> records(ExportLogsServiceRequest request) {
        List<LogRecord> records = new ArrayList<>();
        for (ResourceLogs resourceLogs : request.getResourceLogsList()) {
            for (ScopeLogs scopeLogs : resourceLogs.getScopeLogsList()) {
                records.addAll(scopeLogs.getLogRecordsList());
            }
        }
        return records;
    }

    @Override
    public void close() {
        server.close();
    }
}
