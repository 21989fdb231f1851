package io.persistencelog.backend.slack;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A real HTTP server on 127.0.0.1 standing in for a Slack incoming webhook: answers scripted responses (then
 * 200 "ok") and records each request's body and arrival time.
 */
public final class FakeSlack implements AutoCloseable {

    /** Looks like a real webhook path; recognisable so tests can prove it never leaks. */
    public static final String SECRET_PATH = "/services/T0FAKETEAM/B0FAKEHOOK/SeCrEtT0kenXyZ123";

    public record Request(long arrivalNanos, String body, String contentType) {
    }

    public final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<MockResponse> script = new ConcurrentLinkedQueue<>();
    private final MockWebServer server = new MockWebServer();

    public FakeSlack() throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String body = request.getBody() == null ? "" : request.getBody().utf8();
                String type = request.getHeaders().get("Content-Type");
                requests.add(new Request(System.nanoTime(), body, type == null ? "" : type));
                MockResponse next = script.poll();
                return next != null ? next : new MockResponse.Builder().code(200).body("ok").build();
            }
        });
        server.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    /** The next request gets this answer. */
    public FakeSlack answer(int status, String body, String... headerNameValues) {
        MockResponse.Builder response = new MockResponse.Builder().code(status).body(body);
        for (int i = 0; i + 1 < headerNameValues.length; i += 2) {
            response.addHeader(headerNameValues[i], headerNameValues[i + 1]);
        }
        script.add(response.build());
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
