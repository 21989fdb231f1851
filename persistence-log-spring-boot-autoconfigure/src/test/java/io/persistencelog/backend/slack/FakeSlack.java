package io.persistencelog.backend.slack;

import io.persistencelog.testing.ScriptedHttpServer;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.List;

/**
 * A Slack incoming webhook on 127.0.0.1 (the shared {@link ScriptedHttpServer}): answers scripted responses
 * (then 200 "ok") and records each request's body and arrival time.
 */
public final class FakeSlack implements AutoCloseable {

    /** Looks like a real webhook path; recognisable so tests can prove it never leaks. */
    public static final String SECRET_PATH = "/services/T0FAKETEAM/B0FAKEHOOK/SeCrEtT0kenXyZ123";

    public record Request(long arrivalNanos, String body, String contentType) {
    }

    private final ScriptedHttpServer server = new ScriptedHttpServer(
            () -> ScriptedHttpServer.response(200, "ok"));

    /** The requests so far, in arrival order. */
    public final List<Request> requests = new AbstractList<>() {
        @Override
        public Request get(int index) {
            ScriptedHttpServer.Exchange e = server.exchanges.get(index);
            return new Request(e.arrivalNanos(), new String(e.body(), StandardCharsets.UTF_8),
                    e.header("Content-Type"));
        }

        @Override
        public int size() {
            return server.exchanges.size();
        }
    };

    /** The next request gets this answer. */
    public FakeSlack answer(int status, String body, String... headerNameValues) {
        server.then(status, body, headerNameValues);
        return this;
    }

    public String webhookUrl() {
        return server.url(SECRET_PATH).toString();
    }

    @Override
    public void close() {
        server.close();
    }
}
