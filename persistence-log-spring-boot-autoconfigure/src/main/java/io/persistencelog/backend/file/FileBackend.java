package io.persistencelog.backend.file;

import io.persistencelog.BatchLogBackend;
import io.persistencelog.BatchResult;
import io.persistencelog.LogEntry;
import io.persistencelog.codec.ByteSink;
import io.persistencelog.codec.JsonLineEncoder;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

// Longer than 350 lines on purpose: the weekly file's rotation, retention, directory lock and half-way write failures all act
// on the one open channel; they must be read together to see that no line is written twice or lost.
/**
 * Appends entries as JSON Lines to one file per ISO week ({@code logs/wk02_2024-01-08--2024-01-14.json}).
 *
 * <p>Each batch is encoded first and then written with one write per weekly file it touches. The current
 * week's file stays open and is rolled when an entry of a later week arrives; an entry of another week (a
 * clock step, a pinned test clock) goes to its own week's file. A file that ends in a torn line (a crash
 * mid-write) is cut back to its last complete line when opened.
 *
 * <p>An I/O failure (unwritable directory, full disk) fails only the entries that did not reach the file:
 * lines already on disk count as persisted, a half-written line is cut off, so retrying the failed entries
 * never writes a line twice. The files are then closed and opened again by the next batch.
 *
 * <p>One writer per directory: the backend locks {@code .persistence-log.lock} in the directory while it is
 * open. A second process or application context writing to the same directory would interleave half lines
 * and cut each other's tails; it fails its batches instead, with a message naming the property to change.
 *
 * <p>Retention is measured against the wall clock, never against an entry's timestamp, and never deletes a
 * file that is open.
 */
public final class FileBackend extends BatchLogBackend {

    static final String LOCK_FILE = ".persistence-log.lock";
    private static final int MAX_OPEN_FILES = 2;
    private static final int MAX_BATCH = 4096;

    /** The backend's name in {@code LOG_BACKENDS}. */
    public static final String NAME = "file";

    private final FileProperties settings;
    private final Path directory;
    private final JsonLineEncoder encoder;
    private final FileSystemAccess files;
    private final Clock wallClock;
    private final Map<String, OpenFile> open = new LinkedHashMap<>();
    private @Nullable FileChannel lockChannel;
    private @Nullable FileLock lock;
    private volatile @Nullable String currentFile;
    private volatile long repairedFiles;
    private volatile long deletedFiles;
    private volatile long partialWrites;
    /**
     * The week of the latest entry: almost every entry falls in it, and naming a week (a {@code String.format}
     * and ISO week arithmetic) took most of the lane's CPU when done per entry (JFR, delivery benchmark).
     */
    private @Nullable WeekFile lastWeek;
    /** Reused for the lines of the batch's first weekly file (almost always the only one). */
    private final ByteSink batchBuffer = new ByteSink(64 * 1024);

    /** An open weekly file and its length as far as this writer knows it (every byte written by it). */
    private static final class OpenFile {
        final Path path;
        final OutputStream out;
        long length;

        OpenFile(Path path, OutputStream out, long length) {
            this.path = path;
            this.out = out;
            this.length = length;
        }
    }

    /** The lines of one batch bound for one weekly file. */
    private static final class Pending {
        final WeekFile week;
        final ByteSink bytes;
        /** Index in the batch of each line's entry, and the end offset (in {@link #bytes}) of each line. */
        int[] entries;
        int[] ends;
        int count;

        Pending(WeekFile week, ByteSink bytes, int capacity) {
            this.week = week;
            this.bytes = bytes;
            this.entries = new int[capacity];
            this.ends = new int[capacity];
        }

        void add(int entry, int end) {
            entries[count] = entry;
            ends[count] = end;
            count++;
        }
    }

    /** With the default {@code max-value-length}. */
    public FileBackend(FileProperties settings) {
        this(settings, JsonLineEncoder.DEFAULT_MAX_VALUE_LENGTH);
    }

    public FileBackend(FileProperties settings, int maxValueLength) {
        this(settings, maxValueLength, new FileSystemAccess(settings.posixPermissions()), Clock.systemUTC());
    }

    FileBackend(FileProperties settings, int maxValueLength, FileSystemAccess files) {
        this(settings, maxValueLength, files, Clock.systemUTC());
    }

    FileBackend(FileProperties settings, int maxValueLength, FileSystemAccess files, Clock wallClock) {
        this.settings = settings;
        this.directory = settings.directory().toAbsolutePath().normalize();
        this.encoder = new JsonLineEncoder(maxValueLength);
        this.files = files;
        this.wallClock = wallClock;
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Lets the lane hand over everything already waiting (never waiting for more: the default
     * {@link #maxBatchWait()} is zero), so a busy lane writes and flushes in large chunks.
     */
    @Override
    public int maxBatchSize() {
        return MAX_BATCH;
    }

    @Override
    public BatchResult writeBatch(List<LogEntry> entries) {
        BatchResult.Builder result = BatchResult.builder(entries.size());
        List<Pending> toWrite = new ArrayList<>(1);
        @Nullable Pending current = null;
        for (int i = 0; i < entries.size(); i++) {
            try {
                LogEntry entry = entries.get(i);
                WeekFile week = weekOf(entry.epochMillis());
                if (current == null || current.week != week) {
                    current = pendingFor(week, toWrite, entries.size());
                }
                encoder.encode(entry).writeTo(current.bytes);
                current.add(i, current.bytes.size());
            }
            catch (IOException | RuntimeException ex) {
                // This entry cannot be turned into a line (or has no valid time): refused, the rest go on.
                result.rejected(i, "cannot encode entry: " + ex);
            }
        }
        for (int p = 0; p < toWrite.size(); p++) {
            Pending pending = toWrite.get(p);
            @Nullable OpenFile file = null;
            try {
                file = fileFor(pending.week);
                file.out.write(pending.bytes.array(), 0, pending.bytes.size());
                file.out.flush();
                file.length += pending.bytes.size();
            }
            catch (IOException | RuntimeException ex) {
                String reason = "cannot write to " + directory + ": " + ex;
                int reached = file == null ? 0 : settleFailedWrite(file, pending);
                for (int k = reached; k < pending.count; k++) {
                    result.failed(pending.entries[k], reason);
                }
                for (int q = p + 1; q < toWrite.size(); q++) {
                    Pending later = toWrite.get(q);
                    for (int k = 0; k < later.count; k++) {
                        result.failed(later.entries[k], reason);
                    }
                }
                closeFiles();
                break;
            }
        }
        return result.build();
    }

    private WeekFile weekOf(long epochMillis) {
        WeekFile week = lastWeek;
        if (week == null || !week.contains(epochMillis)) {
            week = WeekFile.containing(epochMillis, settings.zone());
            lastWeek = week;
        }
        return week;
    }

    /**
     * The lines bound for {@code week}'s file in this batch: the first weekly file of a batch (almost always
     * the only one) reuses the backend's buffer.
     */
    private Pending pendingFor(WeekFile week, List<Pending> toWrite, int batchSize) {
        for (Pending pending : toWrite) {
            if (pending.week.fileName().equals(week.fileName())) {
                return pending;
            }
        }
        ByteSink bytes;
        if (toWrite.isEmpty()) {
            batchBuffer.reset();
            bytes = batchBuffer;
        }
        else {
            bytes = new ByteSink(8192);
        }
        Pending pending = new Pending(week, bytes, batchSize);
        toWrite.add(pending);
        return pending;
    }

    /**
     * After a failed write: finds how many of the pending lines reached the file (those are persisted),
     * and cuts off a half-written line so the file stays valid JSON Lines and a retry does not duplicate.
     * Returns the number of lines on disk.
     */
    private int settleFailedWrite(OpenFile file, Pending pending) {
        long start = file.length;
        long onDisk;
        try {
            onDisk = files.size(file.path) - start;
        }
        catch (IOException | RuntimeException ex) {
            onDisk = 0;
        }
        int whole = 0;
        long keep = 0;
        while (whole < pending.count && pending.ends[whole] <= onDisk) {
            keep = pending.ends[whole];
            whole++;
        }
        if (onDisk > keep || onDisk < 0) {
            try {
                files.truncate(file.path, start + keep);
            }
            catch (IOException | RuntimeException ex) {
                // The torn line is cut when the file is opened next (we still hold the directory lock).
            }
        }
        if (whole > 0) {
            partialWrites++;
        }
        file.length = start + keep;
        return whole;
    }

    private OpenFile fileFor(WeekFile week) throws IOException {
        OpenFile file = open.get(week.fileName());
        if (file == null) {
            file = openFile(week);
        }
        currentFile = file.path.toString();
        return file;
    }

    private OpenFile openFile(WeekFile week) throws IOException {
        files.createDirectories(directory);
        lockDirectory();
        Path path = directory.resolve(week.fileName());
        if (TornLineRepair.repair(path)) {
            repairedFiles++;
        }
        if (open.size() >= MAX_OPEN_FILES) {
            String eldest = open.keySet().iterator().next();
            OpenFile old = open.remove(eldest);
            if (old != null) {
                old.out.close();
            }
        }
        OutputStream out = files.openAppend(path);
        OpenFile file;
        try {
            file = new OpenFile(path, out, files.size(path));
        }
        catch (IOException | RuntimeException ex) {
            out.close();
            throw ex;
        }
        open.put(week.fileName(), file);
        applyRetention();
        return file;
    }

    /**
     * Takes the directory's lock before anything is repaired or written: another writer's tail is never
     * cut and its lines never interleaved with ours.
     */
    private void lockDirectory() throws IOException {
        if (lock != null) {
            return;
        }
        FileChannel channel = files.openLock(directory.resolve(LOCK_FILE));
        FileLock acquired;
        try {
            acquired = channel.tryLock();
        }
        catch (OverlappingFileLockException ex) {
            acquired = null; // another application context of this JVM
        }
        catch (IOException | RuntimeException ex) {
            channel.close();
            throw ex;
        }
        if (acquired == null) {
            channel.close();
            throw new IOException("the log directory " + directory + " is in use by another process or "
                    + "application context (it holds " + LOCK_FILE + "); give each writer its own "
                    + "log-persistence.file.directory");
        }
        lockChannel = channel;
        lock = acquired;
    }

    /**
     * Deletes weekly files older than the retention window, counted back from the wall clock's week: an
     * entry stamped far in the future (a clock step) cannot make the current files look old. Files open
     * right now are never deleted. Failures only delay the cleanup; it runs again when a file is opened.
     */
    private void applyRetention() {
        int keep = settings.retentionWeeks();
        if (keep <= 0) {
            return;
        }
        LocalDate currentMonday = WeekFile.containing(wallClock.millis(), settings.zone()).monday();
        LocalDate oldestKept = currentMonday.minusWeeks(keep - 1L);
        try (var stream = Files.list(directory)) {
            for (Path file : (Iterable<Path>) stream::iterator) {
                String name = file.getFileName().toString();
                LocalDate monday = WeekFile.mondayOf(name);
                if (monday != null && monday.isBefore(oldestKept) && !open.containsKey(name)
                        && Files.deleteIfExists(file)) {
                    deletedFiles++;
                }
            }
        }
        catch (IOException | RuntimeException ex) {
            // Retention is housekeeping: the next open tries again.
        }
    }

    @Override
    public void flush() {
        for (OpenFile file : open.values()) {
            try {
                file.out.flush();
            }
            catch (IOException ex) {
                // Reported by the next write; flush on shutdown has no one left to tell.
            }
        }
    }

    @Override
    public void close() {
        closeFiles();
        try {
            FileLock held = lock;
            if (held != null && held.isValid()) {
                held.release();
            }
        }
        catch (IOException ex) {
            // Closing the channel below releases it as well.
        }
        FileChannel channel = lockChannel;
        lock = null;
        lockChannel = null;
        if (channel != null) {
            try {
                channel.close();
            }
            catch (IOException ex) {
                // Nothing left to release.
            }
        }
    }

    private void closeFiles() {
        for (OpenFile file : open.values()) {
            try {
                file.out.close();
            }
            catch (IOException | RuntimeException ex) {
                // Nothing is buffered here: every batch was written through, so nothing is lost by this.
            }
        }
        open.clear();
    }

    @Override
    public Map<String, Object> getMetrics() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backend", name());
        m.put("logDirectory", directory.toString());
        m.put("currentFile", currentFile);
        m.put("zone", settings.zone().getId());
        m.put("retentionWeeks", settings.retentionWeeks());
        m.put("repairedFiles", repairedFiles);
        m.put("deletedFiles", deletedFiles);
        m.put("partialWrites", partialWrites);
        m.put("truncatedValues", encoder.truncatedValues());
        return m;
    }

    @Override
    public String toString() {
        return "FileBackend[" + directory + ", zone=" + settings.zone() + "]";
    }
}
