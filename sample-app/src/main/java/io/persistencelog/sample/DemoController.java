package io.persistencelog.sample;

import io.persistencelog.AppLogger;
import io.persistencelog.AppLoggerFactory;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class DemoController {

    private static final AppLogger log = AppLoggerFactory.getAppLogger("orders");

    private final RecentLogsBackend recentLogs;

    DemoController(RecentLogsBackend recentLogs) {
        this.recentLogs = recentLogs;
    }

    @GetMapping("/hello")
    Map<String, String> hello(@RequestParam(defaultValue = "world") String name) {
        return Map.of("greeting", "Hello, " + name);
    }

    @GetMapping("/orders/{id}")
    Map<String, Object> order(@PathVariable long id) {
        log.info("Order viewed", "order_id", id, "user_id", 123);
        return Map.of("id", id, "status", "shipped");
    }

    @GetMapping("/fail")
    Map<String, Object> fail() {
        try {
            throw new IllegalStateException("payment service unavailable");
        }
        catch (IllegalStateException ex) {
            log.error("Payment failed", "order_id", 42, ex);
            return Map.of("error", ex.getMessage());
        }
    }

    @GetMapping("/recent-logs")
    List<Map<String, Object>> recentLogs() {
        return recentLogs.recent();
    }
}
