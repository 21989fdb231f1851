package io.persistencelog.backend.datadog;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import io.persistencelog.testing.ScriptedHttpServer;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Datadog intake stand-in on 127.0.0.1 (the shared {@link ScriptedHttpServer}): answers from a script (then 202), records every request with its
 * gunzipped, parsed body and the status it was answered with.
 */
final class FakeIntake implements AutoCloseable {

    static final ObjectMapper JSON = JsonMapper.builder().build();

    /** One request as the intake saw it. */
    record Received(RecordedRequest request, long atNanos, byte[] json, JsonNode logs, int answeredWith) {
        boolean accepted() {
            return answeredWith >= 200 && answeredWith < 300;
        }
    }

    final ScriptedHttpServer server = new ScriptedHttpServer(FakeIntake::accepted);
    /** Every request with its gunzipped, parsed body, read from the shared fake's record. */
    final List<Received> received = new AbstractList<>() {
        @Override
        public Received get(int index) {
            ScriptedHttpServer.Exchange e = server.exchanges.get(index);
            byte[] json = gunzip(e.body());
            JsonNode logs = json.length == 0 ? JSON.createArrayNode() : JSON.readTree(json);
            return new Received(e.request(), e.arrivalNanos(), json, logs, e.answeredWith());
        }

        @Override
        public int size() {
            return server.exchanges.size();
        }
    };

    static MockResponse accepted() {
        return new MockResponse.Builder().code(202).body("{}").build();
    }

    static MockResponse status(int code, String... headerPairs) {
        MockResponse.Builder builder = new MockResponse.Builder().code(code).body("{\"errors\":[\"status " + code + "\"]}");
        for (int i = 0; i + 1 < headerPairs.length; i += 2) {
            builder.addHeader(headerPairs[i], headerPairs[i + 1]);
        }
        return builder.build();
    }

    FakeIntake then(MockResponse response) {
        server.then(response);
        return this;
    }

    FakeIntake then(int code, String... headerPairs) {
        return then(status(code, headerPairs));
    }

    URI url() {
        return server.url("/api/v2/logs");
    }

    /** Logs of every request answered 2xx, in arrival order. */
    List<JsonNode> acceptedLogs() {
        List<JsonNode> logs = new ArrayList<>();
        for (Received r : received) {
            if (r.accepted()) {
                r.logs().forEach(logs::add);
            }
        }
        return logs;
    }

    static byte[] gunzip(byte[] body) {
        if (body.length == 0) {
            return body;
        }
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("request body is not gzip", ex);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
