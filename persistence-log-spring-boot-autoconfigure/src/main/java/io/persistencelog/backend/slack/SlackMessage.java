package io.persistencelog.backend.slack;

import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import io.persistencelog.codec.JsonLineEncoder;
import io.persistencelog.codec.SafeText;
import io.persistencelog.codec.Secrets;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Turns a burst of entries into one Slack message: a summary line ("17 errors in the last 10 s") and the
 * most frequent distinct messages with their logger, error and first stack frame, within Slack's limits.
 */
final class SlackMessage {

    /** Slack's limit for the text of a section block. */
    static final int SECTION_TEXT_LIMIT = 3000;
    /** Slack's limit for the top-level {@code text}. */
    static final int TEXT_LIMIT = 40_000;
    /** Kept well below the limit: the top-level text is what notifications show. */
    static final int FALLBACK_TEXT_LENGTH = 1000;
    static final String ELLIPSIS = "…";

    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final int MAX_CAUSE_DEPTH = 16;
    private static final int MAX_PREFIX_LENGTH = 500;
    private static final int MAX_LOGGER_LENGTH = 250;
    private static final int MAX_ERROR_LENGTH = 1200;

    private SlackMessage() {
    }

    /** One distinct (logger, message) pair of a burst. */
    static final class Group {
        final String logger;
        final String message;
        final LogEntry first;
        LogLevel highest;
        int count;

        Group(LogEntry first) {
            this.logger = first.logger();
            this.message = first.message();
            this.first = first;
            this.highest = first.level();
        }
    }

    /** Distinct messages, most frequent first; ties keep arrival order. */
    static List<Group> group(List<LogEntry> alerts) {
        Map<String, Group> groups = new LinkedHashMap<>();
        for (LogEntry entry : alerts) {
            Group g = groups.computeIfAbsent(entry.logger() + '\n' + entry.message(), k -> new Group(entry));
            g.count++;
            if (entry.level().compareTo(g.highest) > 0) {
                g.highest = entry.level();
            }
        }
        List<Group> sorted = new ArrayList<>(groups.values());
        sorted.sort((a, b) -> Integer.compare(b.count, a.count)); // stable: ties stay in arrival order
        return sorted;
    }

    /**
     * The JSON body {@code {"text": ..., "blocks": [...]}}.
     *
     * @param windowMillis how much time the burst covers, for "in the last 10 s"
     */
    static byte[] build(List<LogEntry> alerts, long windowMillis, SlackProperties settings) {
        List<Group> groups = group(alerts);
        String summary = summary(alerts, windowMillis, settings.minLevel());
        String prefix = settings.textPrefix().isBlank() ? ""
                : truncate(settings.textPrefix().trim(), MAX_PREFIX_LENGTH) + " ";
        int shown = Math.min(groups.size(), settings.topMessages());

        // The notification text is parsed like mrkdwn: unescaped, a logged "<!channel>" would page everyone.
        // The configured prefix is the operator's own and may mention on purpose, so it stays as written.
        StringBuilder fallback = new StringBuilder(prefix).append(escape(summary));
        if (!groups.isEmpty()) {
            Group top = groups.get(0);
            fallback.append(": ").append(escape(top.message));
        }

        ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
        try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            g.writeStartObject();
            g.writeStringProperty("text", clean(Secrets.mask(fallback.toString()),
                    Math.min(TEXT_LIMIT, FALLBACK_TEXT_LENGTH)));
            g.writeArrayPropertyStart("blocks");
            section(g, prefix + "*" + escape(summary) + "*");
            for (int i = 0; i < shown; i++) {
                section(g, describe(groups.get(i), settings.minLevel()));
            }
            if (groups.size() > shown) {
                int hiddenEntries = 0;
                for (int i = shown; i < groups.size(); i++) {
                    hiddenEntries += groups.get(i).count;
                }
                int hidden = groups.size() - shown;
                g.writeStartObject();
                g.writeStringProperty("type", "context");
                g.writeArrayPropertyStart("elements");
                g.writeStartObject();
                g.writeStringProperty("type", "mrkdwn");
                g.writeStringProperty("text", "…and " + hidden + " more distinct message" + (hidden == 1 ? "" : "s")
                        + " (" + hiddenEntries + (hiddenEntries == 1 ? " entry" : " entries") + ")");
                g.writeEndObject();
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static void section(JsonGenerator g, String mrkdwn) {
        g.writeStartObject();
        g.writeStringProperty("type", "section");
        g.writeObjectPropertyStart("text");
        g.writeStringProperty("type", "mrkdwn");
        g.writeStringProperty("text", clean(Secrets.mask(mrkdwn), SECTION_TEXT_LIMIT));
        g.writeEndObject();
        g.writeEndObject();
    }

    /** "17 errors in the last 10 s", or "17 entries at WARN or above (12 ERROR, 5 WARN) in the last 10 s". */
    static String summary(List<LogEntry> alerts, long windowMillis, LogLevel minLevel) {
        Map<LogLevel, Integer> byLevel = new EnumMap<>(LogLevel.class);
        for (LogEntry e : alerts) {
            byLevel.merge(e.level(), 1, Integer::sum);
        }
        int total = alerts.size();
        String what;
        if (byLevel.size() == 1 && byLevel.containsKey(LogLevel.ERROR)) {
            what = total + (total == 1 ? " error" : " errors");
        }
        else if (byLevel.size() == 1 && byLevel.containsKey(LogLevel.WARN)) {
            what = total + (total == 1 ? " warning" : " warnings");
        }
        else {
            StringBuilder parts = new StringBuilder();
            List<LogLevel> levels = new ArrayList<>(byLevel.keySet());
            Collections.reverse(levels);
            for (LogLevel level : levels) {
                if (parts.length() > 0) {
                    parts.append(", ");
                }
                parts.append(byLevel.get(level)).append(' ').append(level);
            }
            what = total + (total == 1 ? " entry" : " entries") + " at " + minLevel + " or above (" + parts + ")";
        }
        return what + " in the last " + window(windowMillis);
    }

    static String window(long millis) {
        long seconds = Math.max(1, (millis + 999) / 1000);
        if (seconds < 120) {
            return seconds + " s";
        }
        long minutes = (seconds + 59) / 60;
        if (minutes < 120) {
            return minutes + " min";
        }
        return ((minutes + 59) / 60) + " h";
    }

    /** One section: count, level, logger, message, then the error and where it was thrown. */
    private static String describe(Group group, LogLevel minLevel) {
        StringBuilder head = new StringBuilder();
        head.append('*').append(group.count).append("×*");
        if (minLevel != LogLevel.ERROR || group.highest != LogLevel.ERROR) {
            head.append(" *").append(group.highest).append('*');
        }
        head.append(" `").append(truncate(code(group.logger), MAX_LOGGER_LENGTH)).append('`');
        String errorText = errorText(group.first.error());
        String tail = errorText.isEmpty() ? "" : "\n```" + truncate(code(errorText), MAX_ERROR_LENGTH) + "```";
        // Cut the message, not the structure, so the section stays valid mrkdwn within 3000 characters.
        int room = SECTION_TEXT_LIMIT - head.length() - 1 - tail.length();
        String message = truncate(escape(group.message), Math.max(room, 1));
        return head + "\n" + message + tail;
    }

    /** "Type: message", the first frame, and the root cause if there is one. */
    static String errorText(@Nullable Throwable error) {
        if (error == null) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        try {
            text.append(throwableLine(error));
            StackTraceElement[] trace = error.getStackTrace();
            if (trace != null && trace.length > 0 && trace[0] != null) {
                text.append("\n    at ").append(SafeText.toText(trace[0]));
            }
            Throwable root = rootCause(error);
            if (root != error) {
                text.append("\ncaused by ").append(throwableLine(root));
                StackTraceElement[] rootTrace = root.getStackTrace();
                if (rootTrace != null && rootTrace.length > 0 && rootTrace[0] != null) {
                    text.append("\n    at ").append(SafeText.toText(rootTrace[0]));
                }
            }
        }
        catch (Throwable ex) {
            text.append(" <error details unavailable: ").append(ex.getClass().getName()).append('>');
        }
        return text.toString();
    }

    private static String throwableLine(Throwable t) {
        String message = t.getMessage();
        String type = JsonLineEncoder.typeName(t);
        return message == null ? type : type + ": " + SafeText.toText(message);
    }

    private static Throwable rootCause(Throwable error) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Throwable current = error;
        for (int depth = 0; depth < MAX_CAUSE_DEPTH; depth++) {
            seen.add(current);
            Throwable cause = current.getCause();
            if (cause == null || seen.contains(cause)) {
                break;
            }
            current = cause;
        }
        return current;
    }

    /** Slack's mrkdwn needs {@code & < >} escaped; everything else is shown as written. */
    static String escape(String text) {
        if (text.indexOf('&') < 0 && text.indexOf('<') < 0 && text.indexOf('>') < 0) {
            return text;
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Text for inside backticks: escaped, and unable to close the code span early. */
    private static String code(String text) {
        return escape(text).replace("```", "'''").replace('`', '\'');
    }

    /** Valid UTF-16 (unpaired surrogates replaced) and at most {@code max} characters. */
    static String clean(String text, int max) {
        return truncate(replaceUnpairedSurrogates(text), max);
    }

    /** At most {@code max} UTF-16 units, ending in "…" when cut, never splitting a surrogate pair. */
    static String truncate(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = Math.max(0, max - ELLIPSIS.length());
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + ELLIPSIS;
    }

    private static String replaceUnpairedSurrogates(String text) {
        StringBuilder out = null;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            boolean bad = false;
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                    if (out != null) {
                        out.append(c).append(text.charAt(i + 1));
                    }
                    i++;
                    continue;
                }
                bad = true;
            }
            else if (Character.isLowSurrogate(c)) {
                bad = true;
            }
            if (bad && out == null) {
                out = new StringBuilder(length).append(text, 0, i);
            }
            if (out != null) {
                out.append(bad ? '\uFFFD' : c);
            }
        }
        return out == null ? text : out.toString();
    }
}
