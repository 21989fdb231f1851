package io.persistencelog.sample;

import io.persistencelog.LogBackend;
import io.persistencelog.LogEntry;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * A custom backend, declared as a bean: keeps the last entries in memory for {@code GET /recent-logs}.
 * It is active because {@code application.yml} lists {@code recent} in {@code log-persistence.backends}.
 */
@Component
class RecentLogsBackend implements LogBackend {

    private static final int KEEP = 50;
    private final Deque<Map<String, Object>> recent = new ArrayDeque<>();

    @Override
    public String name() {
        return "recent";
    }

    @Override
    public synchronized boolean write(LogEntry entry) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("timestamp", entry.timestamp().toString());
        view.put("level", entry.level().name());
        view.put("logger", entry.logger());
        view.put("message", entry.message());
        view.putAll(entry.fields());
        recent.addFirst(view);
        while (recent.size() > KEEP) {
            recent.removeLast();
        }
        return true;
    }

    synchronized List<Map<String, Object>> recent() {
        return List.copyOf(recent);
    }

    @Override
    public synchronized Map<String, Object> getMetrics() {
        return Map.of("backend", name(), "held", recent.size());
    }
}
