package io.persistencelog.engine.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import io.persistencelog.codec.QueuedLogEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Disk faults the spool must survive without losing valid records or miscounting what waits. */
class SpoolFaultTest {

    @TempDir
    Path dir;

    private SpoolSettings settings(long maxBytes, long segmentBytes, SpoolSettings.FsyncPolicy fsync,
            SpoolSettings.SpoolFullPolicy whenFull) {
        return new SpoolSettings(dir, maxBytes, segmentBytes, fsync, whenFull,
                PosixFilePermissions.fromString("rw-------"), 10_000);
    }

    private SpoolSettings plain() {
        return settings(1 << 20, 1 << 20, SpoolSettings.FsyncPolicy.NEVER, SpoolSettings.SpoolFullPolicy.DROP_NEWEST);
    }

    private static List<LogEntry> entries(int from, int count) {
        return IntStream.range(from, from + count).mapToObj(i -> (LogEntry) new QueuedLogEntry(1_700_000_000_000L + i,
                LogLevel.WARN, "spool", "entry " + i, "main", new Object[] { "i", i })).toList();
    }

    private static List<Integer> ids(List<LogEntry> entries) {
        return entries.stream().map(e -> ((Number) e.fields().get("i")).intValue()).toList();
    }

    private Path onlySegment() throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".seg")).findFirst().orElseThrow();
        }
    }

    private static List<Integer> drain(Spool spool) throws IOException {
        List<Integer> all = new ArrayList<>();
        while (!spool.isEmpty()) {
            List<LogEntry> chunk = spool.peek(3);
            all.addAll(ids(chunk));
            spool.commit();
            if (chunk.isEmpty()) {
                break;
            }
        }
        return all;
    }

    @Test
    void aZeroFilledTailFromAPowerLossIsCutNotReadAsEmptyRecords() throws IOException {
        Spool spool = new Spool(dir, plain());
        spool.append(entries(0, 10));
        spool.close();
        try (FileChannel channel = FileChannel.open(onlySegment(), StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            channel.write(ByteBuffer.allocate(4096)); // the file grew but its last blocks never reached the disk
        }
        Spool reopened = new Spool(dir, plain());
        assertThat(reopened.pendingEntries()).isEqualTo(10);
        reopened.append(entries(10, 2));
        assertThat(drain(reopened)).isEqualTo(IntStream.range(0, 12).boxed().toList());
        assertThat(reopened.pendingEntries()).isZero();
        reopened.close();
    }

    @Test
    void aZeroFilledRegionInTheMiddleIsSkippedAndReplayGoesOn() throws IOException {
        Spool spool = new Spool(dir, plain());
        spool.append(entries(0, 10));
        spool.close();
        Path segment = onlySegment();
        long recordSize = Files.size(segment) / 10; // all records have the same length here
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate((int) (3 * recordSize)), 2 * recordSize); // records 2, 3, 4 zeroed
        }
        Spool reopened = new Spool(dir, plain());
        assertThat(reopened.pendingEntries()).isEqualTo(7);
        assertThat(reopened.metrics()).containsEntry("spoolCorruptRecords", 1L);
        assertThat(drain(reopened)).containsExactly(0, 1, 5, 6, 7, 8, 9);
        assertThat(reopened.isEmpty()).isTrue();
        reopened.close();
    }

    /** A spool file system whose segment writes can fail part-way and which records forces and closes. */
    private static final class RecordingFiles extends SpoolFiles {
        final List<String> events = new CopyOnWriteArrayList<>();
        @Nullable FaultyFileChannel lastSegment;

        @Override
        FileChannel open(Path file, OpenOption... options) throws IOException {
            String name = file.getFileName().toString();
            events.add("open " + name);
            FaultyFileChannel channel = new FaultyFileChannel(FileChannel.open(file, options), name, events::add);
            if (name.endsWith(".seg") && List.of(options).contains(StandardOpenOption.APPEND)) {
                lastSegment = channel;
            }
            return channel;
        }

        @Override
        void forceDirectory(Path directory) throws IOException {
            events.add("force directory");
            super.forceDirectory(directory);
        }
    }

    @Test
    void aDiskThatFillsUpBetweenHeaderAndPayloadDoesNotBreakTheFraming() throws IOException {
        RecordingFiles files = new RecordingFiles();
        Spool spool = new Spool(dir, plain(), files);
        assertThat(spool.append(entries(0, 3))).isEqualTo(3);
        // The next record's header and a few payload bytes reach the file, then the disk is full.
        files.lastSegment.failNextWriteAfter(12);
        assertThatThrownBy(() -> spool.append(entries(3, 1))).hasMessageContaining("No space left on device");
        assertThat(spool.pendingEntries()).isEqualTo(3);
        assertThat(spool.append(entries(5, 2))).isEqualTo(2);
        spool.close();

        Spool reopened = new Spool(dir, plain());
        assertThat(reopened.pendingEntries()).isEqualTo(5);
        assertThat(drain(reopened)).containsExactly(0, 1, 2, 5, 6);
        assertThat(reopened.metrics()).containsEntry("spoolCorruptRecords", 0L);
        reopened.close();
    }

    @Test
    void aDiskThatFillsUpMidBatchKeepsWhatWasStoredAndSaysWhy() throws IOException {
        RecordingFiles files = new RecordingFiles();
        Spool spool = new Spool(dir, plain(), files);
        spool.append(entries(0, 1));
        files.lastSegment.failWriteAfter(1, 20);
        // The second record of the batch is cut by the full disk: the first is stored, and says so.
        assertThat(spool.append(entries(1, 3))).isEqualTo(1);
        assertThat(spool.lastAppendError()).contains("No space left on device");
        assertThat(spool.pendingEntries()).isEqualTo(2);
        assertThat(spool.append(entries(4, 1))).isEqualTo(1);
        spool.close();

        Spool reopened = new Spool(dir, plain());
        assertThat(drain(reopened)).containsExactly(0, 1, 4);
        reopened.close();
    }

    @Test
    void fsyncBatchForcesTheRolledSegmentTheDirectoryAndTheCursor() throws IOException {
        RecordingFiles files = new RecordingFiles();
        Spool spool = new Spool(dir, settings(1 << 20, 300, SpoolSettings.FsyncPolicy.BATCH,
                SpoolSettings.SpoolFullPolicy.DROP_NEWEST), files);
        spool.append(entries(0, 10)); // several segments of about 300 bytes
        List<String> events = files.events;
        String first = String.format("%020d.seg", 1);
        String second = String.format("%020d.seg", 2);
        assertThat(events).contains("force " + first, "close " + first);
        assertThat(events.indexOf("force " + first)).as("the rolled segment is forced before it is closed")
                .isLessThan(events.indexOf("close " + first));
        assertThat(events.subList(events.indexOf("open " + second), events.size()))
                .as("a new segment's directory entry is made durable").contains("force directory");

        events.clear();
        spool.peek(2);
        spool.commit();
        assertThat(events).containsSubsequence("open cursor.tmp", "force cursor.tmp", "close cursor.tmp",
                "force directory");
        spool.close();
    }

    @Test
    void aSecondSpoolOnTheSameDirectoryFailsClearly() throws IOException {
        Spool first = new Spool(dir, plain());
        assertThatThrownBy(() -> new Spool(dir, plain())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("in use by another process or application context")
                .hasMessageContaining("log-persistence.spool.directory");
        first.append(entries(0, 1));
        first.close();
        Spool next = new Spool(dir, plain());
        assertThat(next.pendingEntries()).isEqualTo(1);
        next.close();
    }

    @Test
    void entriesAppendedWhileAPeekIsOutstandingSurviveADropOfThePeekedSegment() throws IOException {
        // Three segments of four records each; the spool is full at about three segments.
        Spool probe = new Spool(dir.resolve("probe"), new SpoolSettings(dir.resolve("probe"), 1 << 20, 1 << 20,
                SpoolSettings.FsyncPolicy.NEVER, SpoolSettings.SpoolFullPolicy.DROP_OLDEST,
                PosixFilePermissions.fromString("rw-------"), 10_000));
        probe.append(entries(0, 1));
        long record = probe.bytesOnDisk();
        probe.close();
        Path spoolDir = dir.resolve("s");
        Spool spool = new Spool(spoolDir, new SpoolSettings(spoolDir, 12 * record + record / 2, 4 * record,
                SpoolSettings.FsyncPolicy.NEVER, SpoolSettings.SpoolFullPolicy.DROP_OLDEST,
                PosixFilePermissions.fromString("rw-------"), 10_000));
        spool.append(entries(0, 12));
        assertThat(ids(spool.peek(2))).containsExactly(0, 1); // being delivered

        // Meanwhile the partial replay re-appends what failed: the full spool drops the oldest segment.
        spool.append(entries(100, 3));
        int dropped = (int) spool.droppedWhenFull();
        assertThat(dropped).isBetween(2, 8); // the oldest segment, with the two being delivered
        spool.commit();
        List<Integer> expected = new ArrayList<>(IntStream.range(dropped, 12).boxed().toList());
        expected.addAll(List.of(100, 101, 102));
        // The two delivered entries went with the dropped segment: they must not be subtracted twice.
        assertThat(spool.pendingEntries()).isEqualTo(expected.size());

        List<Integer> left = drain(spool);
        assertThat(left).isEqualTo(expected);
        assertThat(spool.pendingEntries()).isZero();
        spool.close();
    }
}
