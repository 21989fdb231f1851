package io.persistencelog.backend.file;

import io.persistencelog.BatchLogBackend;
import io.persistencelog.BatchResult;
import io.persistencelog.LogEntry;
import io.persistencelog.codec.ByteSink;
import io.persistencelog.codec.JsonLineEncoder;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Appends entries as JSON Lines to one file per ISO week ({@code logs/wk02_2024-01-08--2024-01-14.json}).
 *
 * <p>Lines are buffered and written with one flush per batch. The current week's file stays open and is
 * rolled when an entry of a later week arrives; an entry of another week (a clock step, a pinned test
 * clock) goes to its own week's file. A file that ends in a torn line (a crash mid-write) is cut back to
 * its last complete line when opened. An I/O failure (unwritable directory, full disk) fails that batch,
 * closes the files and tries again with the next batch, so the pipeline keeps running.
 */
public final class FileBackend extends BatchLogBackend {

    private static final int BUFFER_SIZE = 64 * 1024;
    private static final int MAX_OPEN_FILES = 2;
    private static final int MAX_BATCH = 4096;

    /** The backend's name in {@code LOG_BACKENDS}. */
    public static final String NAME = "file";

    private final FileProperties settings;
    private final Path directory;
    private final JsonLineEncoder encoder;
    private final FileSystemAccess files;
    private final Map<String, OutputStream> open = new LinkedHashMap<>();
    private @Nullable WeekFile currentWeek;
    private @Nullable OutputStream currentOut;
    private volatile @Nullable String currentFile;
    private volatile long repairedFiles;
    private volatile long deletedFiles;
    private @Nullable LocalDate newestMonday;

    /** With the default {@code max-value-length}. */
    public FileBackend(FileProperties settings) {
        this(settings, JsonLineEncoder.DEFAULT_MAX_VALUE_LENGTH);
    }

    public FileBackend(FileProperties settings, int maxValueLength) {
        this(settings, maxValueLength, new FileSystemAccess(settings.posixPermissions()));
    }

    FileBackend(FileProperties settings, int maxValueLength, FileSystemAccess files) {
        this.settings = settings;
        this.directory = settings.directory().toAbsolutePath().normalize();
        this.encoder = new JsonLineEncoder(maxValueLength);
        this.files = files;
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
        try {
            for (LogEntry entry : entries) {
                ByteSink line = encoder.encode(entry);
                line.writeTo(outputFor(entry.epochMillis()));
            }
            for (OutputStream out : open.values()) {
                out.flush();
            }
            return BatchResult.persisted(entries.size());
        }
        catch (IOException | UncheckedIOException | SecurityException ex) {
            closeQuietly();
            return BatchResult.failed(entries.size(), "cannot write to " + directory + ": " + ex);
        }
    }

    private OutputStream outputFor(long epochMillis) throws IOException {
        WeekFile week = currentWeek;
        OutputStream out = currentOut;
        if (week != null && out != null && week.contains(epochMillis)) {
            return out;
        }
        week = WeekFile.containing(epochMillis, settings.zone());
        out = open.get(week.fileName());
        if (out == null) {
            out = openFile(week);
        }
        currentWeek = week;
        currentOut = out;
        currentFile = directory.resolve(week.fileName()).toString();
        return out;
    }

    private OutputStream openFile(WeekFile week) throws IOException {
        files.createDirectories(directory);
        Path path = directory.resolve(week.fileName());
        if (TornLineRepair.repair(path)) {
            repairedFiles++;
        }
        OutputStream out = new BufferedOutputStream(files.openAppend(path), BUFFER_SIZE);
        if (open.size() >= MAX_OPEN_FILES) {
            String eldest = open.keySet().iterator().next();
            OutputStream old = open.remove(eldest);
            if (old != null) {
                old.close();
            }
        }
        open.put(week.fileName(), out);
        if (newestMonday == null || week.monday().isAfter(newestMonday)) {
            newestMonday = week.monday();
            applyRetention(week.monday());
        }
        return out;
    }

    /** Deletes weekly files older than the retention window; failures only delay the cleanup. */
    private void applyRetention(LocalDate currentMonday) {
        int keep = settings.retentionWeeks();
        if (keep <= 0) {
            return;
        }
        LocalDate oldestKept = currentMonday.minusWeeks(keep - 1L);
        try (var stream = Files.list(directory)) {
            for (Path file : (Iterable<Path>) stream::iterator) {
                LocalDate monday = WeekFile.mondayOf(file.getFileName().toString());
                if (monday != null && monday.isBefore(oldestKept) && Files.deleteIfExists(file)) {
                    deletedFiles++;
                }
            }
        }
        catch (IOException | UncheckedIOException ex) {
            // Retention is housekeeping: the next roll tries again.
        }
    }

    @Override
    public void flush() {
        for (OutputStream out : open.values()) {
            try {
                out.flush();
            }
            catch (IOException ex) {
                // Reported by the next write; flush on shutdown has no one left to tell.
            }
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        for (OutputStream out : open.values()) {
            try {
                out.close();
            }
            catch (IOException ex) {
                // The stream is being discarded; a lost buffer shows up as the failed batch already counted.
            }
        }
        open.clear();
        currentWeek = null;
        currentOut = null;
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
        m.put("truncatedValues", encoder.truncatedValues());
        return m;
    }

    @Override
    public String toString() {
        return "FileBackend[" + directory + ", zone=" + settings.zone() + "]";
    }
}
