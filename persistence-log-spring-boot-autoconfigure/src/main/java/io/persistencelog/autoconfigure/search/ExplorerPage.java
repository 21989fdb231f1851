package io.persistencelog.autoconfigure.search;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import org.springframework.web.util.HtmlUtils;

/**
 * Serves the explorer page: one HTML document and its script and style sheet, all resources of this jar, under
 * a Content-Security-Policy that lets the page load nothing but them and talk to nothing but its own origin.
 */
final class ExplorerPage {

    /** Nothing inline, nothing from elsewhere: the page's own script and styles, and fetches to its origin. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static final String RESOURCES = "/io/persistencelog/explorer/";

    private final String path;
    private final String actuatorBasePath;
    private final String html;
    private final byte[] script;
    private final byte[] styles;

    ExplorerPage(String path, String actuatorBasePath) {
        this.path = path;
        this.actuatorBasePath = actuatorBasePath;
        this.html = new String(read("index.html"), StandardCharsets.UTF_8);
        this.script = read("explorer.js");
        this.styles = read("explorer.css");
    }

    RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route()
                .GET(path, this::page)
                .GET(path + "/", this::page)
                .GET(path + "/explorer.js", request -> asset(script, "text/javascript;charset=UTF-8"))
                .GET(path + "/explorer.css", request -> asset(styles, "text/css;charset=UTF-8"))
                .build();
    }

    private ServerResponse page(ServerRequest request) {
        String context = request.requestPath().contextPath().value();
        String body = html.replace("{{base}}", HtmlUtils.htmlEscape(context + path))
                .replace("{{api}}", HtmlUtils.htmlEscape(context + actuatorBasePath));
        return secured(ServerResponse.ok()).contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                .body(body);
    }

    private ServerResponse asset(byte[] bytes, String contentType) {
        return secured(ServerResponse.ok()).contentType(MediaType.parseMediaType(contentType)).body(bytes);
    }

    private static ServerResponse.BodyBuilder secured(ServerResponse.BodyBuilder builder) {
        return builder.header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("X-Frame-Options", "DENY")
                .cacheControl(CacheControl.noCache());
    }

    private static byte[] read(String name) {
        try (InputStream in = ExplorerPage.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("Missing explorer resource " + RESOURCES + name);
            }
            return in.readAllBytes();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
