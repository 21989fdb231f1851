package io.persistencelog.engine.spool;

import io.persistencelog.testing.Entries;
import static org.assertj.core.api.Assertions.assertThat;

import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import io.persistencelog.codec.QueuedLogEntry;
import io.persistencelog.codec.RecordedThrowable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {

    @TempDir
    Path dir;

    private SpoolSettings settings(long maxBytes, long segmentBytes, SpoolSettings.SpoolFullPolicy whenFull) {
        return new SpoolSettings(dir, maxBytes, segmentBytes, SpoolSettings.FsyncPolicy.BATCH, whenFull,
                PosixFilePermissions.fromString("rw-r-----"), 10_000);
    }

    private static List<LogEntry> entries(int from, int count) {
        return IntStream.range(from, from + count).mapToObj(i -> Entries.entry("entry " + i, "i", i, "nested",
                Map.of("k", "v"), "message", "user field").at(1_700_000_000_000L + i).level(LogLevel.WARN)
                .logger("spool").build()).toList();
    }

    private static List<Integer> ids(List<LogEntry> entries) {
        return entries.stream().map(e -> ((Number) e.fields().get("i")).intValue()).toList();
    }

    @Test
    void replaysInOrderAndRestoresEveryPartOfTheEntry() throws IOException {
        Spool spool = new Spool(dir, settings(1 << 20, 4096, SpoolSettings.SpoolFullPolicy.DROP_NEWEST));
        IllegalStateException failure = new IllegalStateException("down");
        assertThat(spool.append(entries(0, 50))).isEqualTo(50);
        spool.append(List.of(new QueuedLogEntry(1_700_000_000_000L, LogLevel.ERROR, "spool", "with error", "t",
                new Object[] { "i", 50, failure })));
        assertThat(spool.pendingEntries()).isEqualTo(51);

        List<LogEntry> first = spool.peek(20);
        assertThat(ids(first)).isEqualTo(IntStream.range(0, 20).boxed().toList());
        LogEntry e = first.get(3);
        assertThat(e.level()).isEqualTo(LogLevel.WARN);
        assertThat(e.message()).isEqualTo("entry 3");
        assertThat(e.epochMillis()).isEqualTo(1_700_000_000_003L);
        assertThat(e.fields()).containsEntry("nested", Map.of("k", "v")).containsEntry("message", "user field");
        spool.commit();

        List<LogEntry> rest = spool.peek(1000);
        assertThat(ids(rest)).isEqualTo(IntStream.range(20, 51).boxed().toList());
        LogEntry withError = rest.get(rest.size() - 1);
        assertThat(withError.error()).isInstanceOf(RecordedThrowable.class);
        assertThat(((RecordedThrowable) withError.error()).recordedType()).isEqualTo("java.lang.IllegalStateException");
        assertThat(((RecordedThrowable) withError.error()).recordedStack()).contains("SpoolTest");
        // Replayed, it is written exactly as the original would have been.
        String replayedLine = new io.persistencelog.codec.JsonLineEncoder(10_000).encode(withError).toString();
        assertThat(replayedLine).contains("\"type\":\"java.lang.IllegalStateException\"")
                .contains("\"message\":\"down\"").contains("at io.persistencelog.engine.spool.SpoolTest");
        spool.commit();
        assertThat(spool.isEmpty()).isTrue();
        try (var files = Files.list(dir)) {
            assertThat(files.filter(p -> p.toString().endsWith(".seg")).count()).isZero();
        }
        spool.close();
    }

    @Test
    void survivesARestartAndResumesAtTheCursor() throws IOException {
        Spool spool = new Spool(dir, settings(1 << 20, 2048, SpoolSettings.SpoolFullPolicy.DROP_NEWEST));
        spool.append(entries(0, 100));
        spool.peek(30);
        spool.commit();
        spool.close();

        Spool reopened = new Spool(dir, settings(1 << 20, 2048, SpoolSettings.SpoolFullPolicy.DROP_NEWEST));
        assertThat(reopened.pendingEntries()).isEqualTo(70);
        reopened.append(entries(100, 5));
        List<LogEntry> all = new ArrayList<>();
        while (!reopened.isEmpty()) {
            all.addAll(reopened.peek(7));
            reopened.commit();
        }
        assertThat(ids(all)).isEqualTo(IntStream.range(30, 105).boxed().toList());
    }

    @Test
    void aTornRecordFromACrashIsCutAndACorruptOneIsSkippedAloneAndCounted() throws IOException {
        Spool spool = new Spool(dir, settings(1 << 20, 1 << 20, SpoolSettings.SpoolFullPolicy.DROP_NEWEST));
        spool.append(entries(0, 10));
        spool.close();
        Path segment;
        try (var files = Files.list(dir)) {
            segment = files.filter(p -> p.toString().endsWith(".seg")).findFirst().orElseThrow();
        }
        long size = Files.size(segment);
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.truncate(size - 5); // the last record was being written when the process died
        }
        Spool reopened = new Spool(dir, settings(1 << 20, 1 << 20, SpoolSettings.SpoolFullPolicy.DROP_NEWEST));
        assertThat(reopened.pendingEntries()).isEqualTo(9);
        reopened.append(entries(10, 1));
        assertThat(ids(reopened.peek(100))).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 10);
        reopened.close();

        // Flip a byte inside the first record's payload: its checksum no longer matches.
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(new byte[] { 'X' }), 20);
        }
        Spool corrupt = new Spool(dir, settings(1 << 20, 1 << 20, SpoolSettings.SpoolFullPolicy.DROP_NEWEST));
        // Only the damaged record is lost: the valid records after it in the same segment still replay.
        assertThat(corrupt.pendingEntries()).isEqualTo(9);
        assertThat(ids(corrupt.peek(100))).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 10);
        assertThat(corrupt.metrics()).containsEntry("spoolCorruptRecords", 1L);
        corrupt.commit();
        assertThat(corrupt.pendingEntries()).isZero();
        assertThat(corrupt.isEmpty()).isTrue();
        corrupt.close();
    }

    @Test
    void aFullSpoolDropsByPolicyAndCounts() throws IOException {
        Spool newest = new Spool(dir.resolve("newest"), new SpoolSettings(dir.resolve("newest"), 3000, 1000,
                SpoolSettings.FsyncPolicy.NEVER, SpoolSettings.SpoolFullPolicy.DROP_NEWEST,
                PosixFilePermissions.fromString("rw-------"), 1000));
        int stored = newest.append(entries(0, 100));
        assertThat(stored).isLessThan(100).isPositive();
        assertThat(newest.droppedWhenFull()).isEqualTo(100 - stored);
        assertThat(ids(newest.peek(1000))).isEqualTo(IntStream.range(0, stored).boxed().toList());

        Spool oldest = new Spool(dir.resolve("oldest"), new SpoolSettings(dir.resolve("oldest"), 3000, 1000,
                SpoolSettings.FsyncPolicy.NEVER, SpoolSettings.SpoolFullPolicy.DROP_OLDEST,
                PosixFilePermissions.fromString("rw-------"), 1000));
        assertThat(oldest.append(entries(0, 100))).isEqualTo(100);
        List<Integer> kept = ids(oldest.peek(1000));
        assertThat(kept).endsWith(99).hasSize((int) (100 - oldest.droppedWhenFull()));
        assertThat(oldest.droppedWhenFull()).isPositive();
        assertThat(kept).isSorted();
    }

    @Test
    void segmentsGetTheConfiguredPermissions() throws IOException {
        Spool spool = new Spool(dir, settings(1 << 20, 1 << 20, SpoolSettings.SpoolFullPolicy.DROP_NEWEST));
        spool.append(entries(0, 1));
        spool.close();
        try (var files = Files.list(dir)) {
            Path segment = files.filter(p -> p.toString().endsWith(".seg")).findFirst().orElseThrow();
            if (segment.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(segment))).isEqualTo("rw-r-----");
            }
        }
    }
}
