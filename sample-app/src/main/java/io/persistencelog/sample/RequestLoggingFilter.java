package io.persistencelog.sample;

import io.persistencelog.AppLogger;
import io.persistencelog.AppLoggerFactory;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/** Logs every request like the original Python design's middleware: method, path, status and duration, with timing on. */
@Component
class RequestLoggingFilter extends OncePerRequestFilter {

    private static final AppLogger log = AppLoggerFactory.getAppLogger("api", true, true);

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long start = System.nanoTime();
        try {
            chain.doFilter(request, response);
        }
        finally {
            double durationMs = Math.round((System.nanoTime() - start) / 10_000.0) / 100.0;
            log.info("Request completed", "method", request.getMethod(), "path", request.getRequestURI(),
                    "status", response.getStatus(), "duration_ms", durationMs);
        }
    }
}
