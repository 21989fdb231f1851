package io.persistencelog.autoconfigure.search;

import io.persistencelog.search.InvalidQueryException;
import io.persistencelog.search.LogQuery;
import io.persistencelog.search.LogSearch;
import io.persistencelog.search.SearchResult;
import jakarta.servlet.http.HttpServletRequest;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.util.ClassUtils;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * {@code GET /actuator/logsearch}: entries of the weekly files, newest first, with a histogram per level.
 * Exposed, secured and access-controlled like every actuator endpoint. A bad parameter answers 400 with a body
 * naming it.
 */
@WebEndpoint(id = "logsearch")
public class LogSearchEndpoint {

    private static final boolean SERVLET_PRESENT = ClassUtils.isPresent(
            "org.springframework.web.context.request.ServletRequestAttributes", LogSearchEndpoint.class.getClassLoader())
            && ClassUtils.isPresent("jakarta.servlet.http.HttpServletRequest", LogSearchEndpoint.class.getClassLoader());

    private final LogSearch search;
    private final Clock clock;

    public LogSearchEndpoint(LogSearch search, Clock clock) {
        this.search = search;
        this.clock = clock;
    }

    /**
     * Runs a search. Parameters declared here document the endpoint and serve non-servlet stacks; on a servlet
     * stack the whole query string is read so {@code field.<name>} filters and misspelt names reach the query.
     */
    @ReadOperation
    public WebEndpointResponse<Map<String, Object>> search(@Nullable String level, @Nullable String logger,
            @Nullable String q, @Nullable String from, @Nullable String to, @Nullable String limit) {
        Map<String, List<String>> parameters = servletParameters();
        if (parameters == null) {
            parameters = new LinkedHashMap<>();
            put(parameters, "level", level);
            put(parameters, "logger", logger);
            put(parameters, "q", q);
            put(parameters, "from", from);
            put(parameters, "to", to);
            put(parameters, "limit", limit);
        }
        try {
            SearchResult result = search.search(LogQuery.parse(parameters, clock.instant()));
            return new WebEndpointResponse<>(body(result), WebEndpointResponse.STATUS_OK);
        }
        catch (InvalidQueryException ex) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("status", WebEndpointResponse.STATUS_BAD_REQUEST);
            error.put("error", "Bad Request");
            error.put("parameter", ex.parameter());
            error.put("message", ex.getMessage());
            return new WebEndpointResponse<>(error, WebEndpointResponse.STATUS_BAD_REQUEST);
        }
        catch (UncheckedIOException ex) {
            // The message names the file or directory, never an entry's content.
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("status", WebEndpointResponse.STATUS_INTERNAL_SERVER_ERROR);
            error.put("error", "Internal Server Error");
            error.put("message", ex.getMessage() + " (" + ex.getCause() + ")");
            return new WebEndpointResponse<>(error, WebEndpointResponse.STATUS_INTERNAL_SERVER_ERROR);
        }
    }

    static Map<String, Object> body(SearchResult result) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("entries", result.entries());
        body.put("scannedFiles", result.scannedFiles());
        body.put("scannedEntries", result.scannedEntries());
        body.put("skippedLines", result.skippedLines());
        body.put("truncated", result.truncated());
        body.put("from", result.from().toString());
        body.put("to", result.to().toString());
        body.put("bucketSize", result.bucketSize().toString());
        body.put("bucketMillis", result.bucketSize().toMillis());
        body.put("histogram", result.histogram());
        return body;
    }

    private static @Nullable Map<String, List<String>> servletParameters() {
        if (!SERVLET_PRESENT) {
            return null;
        }
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        if (!(attributes instanceof ServletRequestAttributes servlet)) {
            return null;
        }
        HttpServletRequest request = servlet.getRequest();
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        request.getParameterMap().forEach((name, values) -> parameters.put(name, Arrays.asList(values)));
        return parameters;
    }

    private static void put(Map<String, List<String>> parameters, String name, @Nullable String value) {
        if (value != null) {
            parameters.put(name, List.of(value));
        }
    }
}
