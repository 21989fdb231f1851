package io.persistencelog.engine;

import io.persistencelog.codec.QueuedLogEntry;

import io.persistencelog.codec.Redactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class StartupBufferTest {

    @Test
    void keepsTheFirstEntriesCountsTheRestAndReportsTheLossOnDelivery() {
        StartupBuffer buffer = new StartupBuffer(1_000);
        for (int i = 0; i < 1_005; i++) {
            buffer.log(LogLevel.INFO, "early", "entry", new Object[] { "i", i });
        }
        assertThat(buffer.size()).isEqualTo(1_000);
        assertThat(buffer.overflowCount()).isEqualTo(5);

        Recorder sink = new Recorder();
        buffer.deliverTo(sink);
        assertThat(sink.entries).hasSize(1_001);
        assertThat(sink.entries.get(0).fields()).containsEntry("i", 0);
        assertThat(sink.entries.get(999).fields()).containsEntry("i", 999);
        LogEntry notice = sink.entries.get(1_000);
        assertThat(notice.level()).isEqualTo(LogLevel.WARN);
        assertThat(notice.fields()).containsEntry("not_kept", 5L).containsEntry("kept", 1_000);

        buffer.log(LogLevel.INFO, "late", "after delivery", null);
        assertThat(sink.entries).hasSize(1_002);
    }

    @Test
    void appliesTheConfiguredMinimumLevel() {
        StartupBuffer buffer = new StartupBuffer();
        assertThat(buffer.isEnabled(LogLevel.DEBUG)).isFalse();
        buffer.configure(LogLevel.DEBUG, Redactor.defaults());
        assertThat(buffer.isEnabled(LogLevel.DEBUG)).isTrue();
    }

    @Test
    void aDiscardedBufferRefusesLaterEntries() {
        StartupBuffer buffer = new StartupBuffer();
        buffer.log(LogLevel.INFO, "early", "entry", null);
        buffer.discard();
        assertThat(buffer.size()).isZero();
        assertThat(buffer.offer(new QueuedLogEntry(0, LogLevel.INFO, "x", "y", "t", null))).isFalse();
    }

    private static final class Recorder implements LogSink {
        final List<LogEntry> entries = new ArrayList<>();

        @Override
        public boolean isEnabled(LogLevel level) {
            return true;
        }

        @Override
        public void log(LogLevel level, String logger, @Nullable String message,
                @Nullable Object @Nullable [] keyValues) {
        }

        @Override
        public boolean offer(LogEntry entry) {
            return entries.add(entry);
        }
    }
}
