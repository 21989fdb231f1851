package io.persistencelog.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * The one scripted HTTP fake of the test suite: a real HTTP server on 127.0.0.1 that answers each request
 * with the next scripted response (then a default one) and records every request with its arrival time and
 * the status it was answered with (0 when the scripted response breaks the connection). Vendor fakes
 * (Datadog intake, Slack webhook, OTLP collector) wrap it and add only what their protocol needs.
 */
public final class ScriptedHttpServer implements AutoCloseable {

    /** One request as the server saw it. */
    public record Exchange(RecordedRequest request, long arrivalNanos, byte[] body, int answeredWith) {

        public boolean accepted() {
            return answeredWith >= 200 && answeredWith < 300;
        }

        public String header(String name) {
            String value = request.getHeaders().get(name);
            return value == null ? "" : value;
        }
    }

    public final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    private final Queue<MockResponse> script = new ConcurrentLinkedQueue<>();
    private final MockWebServer server = new MockWebServer();

    /** Answers unscripted requests with {@code defaultAnswer}. */
    public ScriptedHttpServer(Supplier<MockResponse> defaultAnswer) {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                MockResponse response = script.poll();
                if (response == null) {
                    response = defaultAnswer.get();
                }
                byte[] body = request.getBody() == null ? new byte[0] : request.getBody().toByteArray();
                int answer = response.getOnResponseStart() != null ? 0 : response.getCode();
                exchanges.add(new Exchange(request, System.nanoTime(), body, answer));
                return response;
            }
        });
        try {
            server.start(InetAddress.getByName("127.0.0.1"), 0);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** A response with a status, a body and header name/value pairs. */
    public static MockResponse response(int status, String body, String... headerNameValues) {
        MockResponse.Builder builder = new MockResponse.Builder().code(status).body(body);
        for (int i = 0; i + 1 < headerNameValues.length; i += 2) {
            builder.addHeader(headerNameValues[i], headerNameValues[i + 1]);
        }
        return builder.build();
    }

    /** The next unanswered request gets this response. */
    public ScriptedHttpServer then(MockResponse response) {
        script.add(response);
        return this;
    }

    public ScriptedHttpServer then(int status, String body, String... headerNameValues) {
        return then(response(status, body, headerNameValues));
    }

    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getPort() + path);
    }

    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        server.close();
    }
}
