package io.persistencelog.engine.spool;

import io.persistencelog.LogEntry;
import io.persistencelog.codec.ByteSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

// Longer than 350 lines on purpose: the on-disk format, crash recovery of torn segments, replay order and the full-spool policies
// must be read together to see that nothing spooled is lost or replayed twice.
/**
 * One backend's on-disk queue: append-only segment files of {@code [length][crc32c][json]} records and a
 * cursor file saying how far replay has got. Survives a crash (a torn record at the end is cut off when
 * the spool is opened; a damaged region in the middle, such as a zero-filled block after a power loss or a
 * record with a bad checksum, is skipped up to the next valid record and counted) and a restart (opening a
 * non-empty spool resumes replay where the cursor points).
 *
 * <p>One spool directory belongs to one spool at a time: it is locked ({@code lock} file) while open, and a
 * second process or application context opening it fails with a message naming the property to change.
 *
 * <p>Used by one lane thread; only the figures in {@link #metrics()} are read from other threads, and
 * {@link #close()} may come from the shutdown thread while that lane is stuck in a backend's write (a lane
 * abandoned at the deadline), so that the directory lock is released and a restart in the same JVM can open
 * the spool again. Reading and writing methods are therefore synchronized with close, and fail once closed.
 */
public final class Spool implements AutoCloseable {

    private static final int HEADER = 8;
    /** The shortest record: a JSON object ({@code {}}); a length below this is damage, e.g. zeroed blocks. */
    private static final int MIN_RECORD = 2;
    private static final String SUFFIX = ".seg";
    private static final int MAX_RECORD = 64 * 1024 * 1024;
    private static final String LOCK_FILE = "lock";

    private final Path directory;
    private final SpoolSettings settings;
    private final SpoolCodec codec;
    private final SpoolFiles files;
    private final FileChannel lockChannel;
    private final FileLock lock;
    /** Segment sequence -> entries and bytes in it, oldest first. */
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    private @Nullable FileChannel writer;
    /** Set when a failed append could not be cut back: the next record starts a new segment. */
    private boolean sealWriter;
    private long readSegment;
    private long readOffset;
    private long peekSegment;
    private long peekOffset;
    private int peekReturned;
    /** Records each segment gave to the last peek (including undecodable ones), to consume on commit. */
    private final Map<Long, Long> peekCounts = new LinkedHashMap<>();
    private volatile long pendingEntries;
    private volatile long bytesOnDisk;
    private volatile long appended;
    private volatile long replayed;
    private volatile long droppedWhenFull;
    private volatile long corruptRecords;
    private volatile @Nullable String lastAppendError;
    /** Set by close(); a lane abandoned at shutdown that comes back from its write must not touch the files. */
    private boolean closed;

    private static final class Segment {
        long entries;
        /** Length of the valid records; what lies beyond (a failed append) is never read. */
        long bytes;
        /** Entries of this segment already replayed. */
        long consumed;
    }

    public Spool(Path directory, SpoolSettings settings) {
        this(directory, settings, SpoolFiles.DEFAULT);
    }

    Spool(Path directory, SpoolSettings settings, SpoolFiles files) {
        this.directory = directory;
        this.settings = settings;
        this.codec = new SpoolCodec(settings.maxValueLength());
        this.files = files;
        FileChannel channel = null;
        try {
            Files.createDirectories(directory);
            channel = files.open(directory.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock acquired = tryLock(channel);
            if (acquired == null) {
                throw new IllegalStateException("The log spool in " + directory.toAbsolutePath()
                        + " is in use by another process or application context; give each one its own "
                        + "log-persistence.spool.directory");
            }
            this.lockChannel = channel;
            this.lock = acquired;
            load();
        }
        catch (IOException ex) {
            closeQuietly(channel);
            throw new UncheckedIOException("Cannot open the log spool in " + directory
                    + "; check log-persistence.spool.directory", ex);
        }
        catch (RuntimeException ex) {
            closeQuietly(channel);
            throw ex;
        }
    }

    private static @Nullable FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        }
        catch (OverlappingFileLockException ex) {
            return null; // held by another spool of this JVM (a second application context)
        }
    }

    private static void closeQuietly(@Nullable FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            }
            catch (IOException ignored) {
                // already failing; the first error is the one reported
            }
        }
    }

    public boolean isEmpty() {
        return pendingEntries == 0;
    }

    public long pendingEntries() {
        return pendingEntries;
    }

    /**
     * Appends entries; returns how many were stored (fewer when the spool is full under DROP_NEWEST, counted
     * in {@code spoolDropped}, or when the disk failed part-way, reported by {@link #lastAppendError()}).
     * Throws only when nothing could be stored.
     */
    public synchronized int append(List<LogEntry> entries) throws IOException {
        requireOpen();
        int stored = 0;
        lastAppendError = null;
        try {
            for (LogEntry entry : entries) {
                ByteSink record = codec.encode(entry);
                int size = HEADER + record.size();
                if (!makeRoom(size)) {
                    droppedWhenFull += entries.size() - stored;
                    break;
                }
                FileChannel out = writerFor(size);
                Segment last = segments.lastEntry().getValue();
                CRC32C crc = new CRC32C();
                crc.update(record.array(), 0, record.size());
                ByteBuffer header = ByteBuffer.allocate(HEADER).putInt(record.size()).putInt((int) crc.getValue())
                        .flip();
                writeRecord(out, last, header, ByteBuffer.wrap(record.array(), 0, record.size()));
                last.entries++;
                last.bytes += size;
                bytesOnDisk += size;
                pendingEntries++;
                stored++;
            }
        }
        catch (IOException ex) {
            lastAppendError = ex.toString();
            if (stored == 0) {
                throw ex;
            }
        }
        finally {
            if (stored > 0) {
                appended += stored;
                FileChannel out = writer;
                if (settings.fsync() == SpoolSettings.FsyncPolicy.BATCH && out != null) {
                    out.force(false);
                }
            }
        }
        return stored;
    }

    /** Why the last {@link #append} stored fewer entries than asked (other than a full spool), or null. */
    public @Nullable String lastAppendError() {
        return lastAppendError;
    }

    /**
     * Writes header and payload; if the disk fails part-way the segment is cut back to its last whole
     * record, so a half-written record never shifts the framing of the records appended after it.
     */
    private void writeRecord(FileChannel out, Segment segment, ByteBuffer header, ByteBuffer payload)
            throws IOException {
        try {
            ByteBuffer[] parts = { header, payload };
            while (payload.hasRemaining()) {
                out.write(parts);
            }
        }
        catch (IOException ex) {
            try {
                out.truncate(segment.bytes);
            }
            catch (IOException | RuntimeException cut) {
                // Cannot cut it back: leave the tail unread (reads stop at segment.bytes) and start afresh.
                sealWriter = true;
                ex.addSuppressed(cut);
            }
            throw ex;
        }
    }

    /**
     * Reads up to {@code max} entries from the replay position without consuming them; call
     * {@link #commit()} once they are delivered.
     */
    public synchronized List<LogEntry> peek(int max) throws IOException {
        requireOpen();
        List<LogEntry> out = new ArrayList<>(Math.min(max, 1024));
        peekCounts.clear();
        long segment = readSegment;
        long offset = readOffset;
        while (out.size() < max) {
            Map.Entry<Long, Segment> current = segments.ceilingEntry(segment);
            if (current == null) {
                break;
            }
            if (current.getKey() != segment) {
                segment = current.getKey();
                offset = 0;
            }
            long limit = current.getValue().bytes;
            long taken = 0;
            try (SegmentReader in = new SegmentReader(files.open(segmentPath(segment), StandardOpenOption.READ),
                    limit)) {
                while (out.size() < max && offset + HEADER <= limit) {
                    byte @Nullable [] payload = in.recordAt(offset);
                    if (payload == null) {
                        // Damage counted when the spool was opened: skip to the next valid record.
                        long next = in.findValid(offset + 1);
                        offset = next < 0 ? limit : next;
                        continue;
                    }
                    taken++;
                    offset += HEADER + payload.length;
                    try {
                        out.add(SpoolCodec.decode(payload, 0, payload.length));
                    }
                    catch (RuntimeException ex) {
                        corruptRecords++; // checksum fine but not an entry: consumed, counted, not replayed
                    }
                }
            }
            if (taken > 0) {
                peekCounts.merge(segment, taken, Long::sum);
            }
            if (out.size() >= max) {
                break;
            }
            Map.Entry<Long, Segment> next = segments.higherEntry(segment);
            if (next == null) {
                break;
            }
            segment = next.getKey();
            offset = 0;
        }
        peekSegment = segment;
        peekOffset = offset;
        peekReturned = out.size();
        return out;
    }

    /**
     * Consumes what the last {@link #peek} returned. Counts by segment, so a segment dropped in between
     * (a full spool under DROP_OLDEST) never makes it consume entries appended after the peek.
     */
    public synchronized void commit() throws IOException {
        requireOpen();
        if (peekCounts.isEmpty() && peekSegment == readSegment && peekOffset == readOffset) {
            return;
        }
        peekCounts.forEach((seq, count) -> {
            Segment s = segments.get(seq);
            if (s != null) {
                s.consumed = Math.min(s.entries, s.consumed + count);
            }
        });
        replayed += peekReturned;
        if (segments.containsKey(peekSegment)) {
            if (peekSegment > readSegment || peekSegment == readSegment && peekOffset > readOffset) {
                readSegment = peekSegment;
                readOffset = peekOffset;
            }
        }
        else {
            Long next = segments.ceilingKey(peekSegment);
            if (next != null && next > readSegment) {
                readSegment = next;
                readOffset = 0;
            }
        }
        peekCounts.clear();
        peekReturned = 0;
        peekSegment = readSegment;
        peekOffset = readOffset;
        recountPending();
        deleteFinishedSegments();
        writeCursor();
    }

    private void recountPending() {
        long pending = 0;
        for (Segment s : segments.values()) {
            pending += s.entries - s.consumed;
        }
        pendingEntries = pending;
    }

    private void deleteFinishedSegments() throws IOException {
        boolean deleted = false;
        while (!segments.isEmpty() && segments.firstKey() < readSegment) {
            dropSegment(segments.firstKey());
            deleted = true;
        }
        if (pendingEntries == 0 && !segments.isEmpty()) {
            // Everything replayed: start afresh so the directory does not keep empty history.
            closeWriter();
            for (Long seq : new ArrayList<>(segments.keySet())) {
                dropSegment(seq);
            }
            readOffset = 0;
            deleted = true;
        }
        if (deleted) {
            syncDirectory();
        }
    }

    private void dropSegment(long seq) throws IOException {
        Segment s = segments.remove(seq);
        if (s != null) {
            bytesOnDisk -= s.bytes;
        }
        if (writer != null && segments.isEmpty()) {
            closeWriter();
        }
        Files.deleteIfExists(segmentPath(seq));
    }

    private boolean makeRoom(int size) throws IOException {
        while (bytesOnDisk + size > settings.maxBytes()) {
            if (settings.whenFull() == SpoolSettings.SpoolFullPolicy.DROP_NEWEST || segments.size() < 2) {
                return false;
            }
            Map.Entry<Long, Segment> first = segments.firstEntry();
            long oldest = first.getKey();
            Segment s = first.getValue();
            droppedWhenFull += s.entries - s.consumed;
            dropSegment(oldest);
            recountPending();
            if (readSegment <= oldest) {
                readSegment = segments.firstKey();
                readOffset = 0;
                writeCursor();
            }
        }
        return true;
    }

    private FileChannel writerFor(int size) throws IOException {
        FileChannel out = writer;
        if (out == null || sealWriter || segments.isEmpty()
                || segments.lastEntry().getValue().bytes + size > settings.segmentBytes()
                        && segments.lastEntry().getValue().bytes > 0) {
            closeWriter();
            sealWriter = false;
            long seq = segments.isEmpty() ? Math.max(1, readSegment) : segments.lastKey() + 1;
            Path file = segmentPath(seq);
            createFile(file);
            out = files.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            segments.put(seq, new Segment());
            if (segments.size() == 1) {
                readSegment = seq;
                readOffset = 0;
            }
            writer = out;
            syncDirectory();
        }
        return out;
    }

    private void createFile(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(settings.permissions()));
            Files.setPosixFilePermissions(file, settings.permissions());
        }
        else {
            Files.createFile(file);
        }
    }

    private void syncDirectory() throws IOException {
        if (settings.fsync() == SpoolSettings.FsyncPolicy.BATCH) {
            files.forceDirectory(directory);
        }
    }

    // ------------------------------------------------------------------ opening an existing spool

    private void load() throws IOException {
        try (var list = Files.list(directory)) {
            for (Path file : (Iterable<Path>) list::iterator) {
                String name = file.getFileName().toString();
                if (name.endsWith(SUFFIX)) {
                    try {
                        segments.put(Long.parseLong(name.substring(0, name.length() - SUFFIX.length())),
                                new Segment());
                    }
                    catch (NumberFormatException ex) {
                        // not one of ours: left alone
                    }
                }
            }
        }
        readCursor();
        if (!segments.isEmpty() && readSegment < segments.firstKey()) {
            readSegment = segments.firstKey();
            readOffset = 0;
        }
        long bytes = 0;
        for (Map.Entry<Long, Segment> e : segments.entrySet()) {
            Segment s = e.getValue();
            long limit = e.getKey() < readSegment ? Long.MAX_VALUE : e.getKey() == readSegment ? readOffset : 0;
            scan(e.getKey(), s, limit);
            bytes += s.bytes;
            if (e.getKey() < readSegment) {
                s.consumed = s.entries;
            }
        }
        bytesOnDisk = bytes;
        recountPending();
    }

    /**
     * Counts valid records, skips damaged regions between them (counted), cuts a torn tail left by a crash,
     * and counts the records before {@code cursor} as consumed.
     */
    private void scan(long seq, Segment segment, long cursor) throws IOException {
        Path file = segmentPath(seq);
        long validEnd;
        long size;
        try (FileChannel channel = files.open(file, StandardOpenOption.READ);
                SegmentReader in = new SegmentReader(channel, channel.size())) {
            size = channel.size();
            long offset = 0;
            validEnd = 0;
            while (offset + HEADER <= size) {
                byte @Nullable [] payload = in.recordAt(offset);
                if (payload == null) {
                    long next = in.findValid(offset + 1);
                    if (next < 0) {
                        break; // nothing valid follows: a torn tail
                    }
                    corruptRecords++;
                    offset = next;
                    continue;
                }
                if (offset < cursor) {
                    segment.consumed++;
                }
                segment.entries++;
                offset += HEADER + payload.length;
                validEnd = offset;
            }
        }
        if (validEnd < size) {
            try (FileChannel channel = files.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(validEnd);
                if (settings.fsync() == SpoolSettings.FsyncPolicy.BATCH) {
                    channel.force(false);
                }
            }
        }
        segment.bytes = validEnd;
    }

    private void readCursor() throws IOException {
        Path cursor = directory.resolve("cursor");
        if (Files.exists(cursor)) {
            String[] parts = Files.readString(cursor, StandardCharsets.US_ASCII).trim().split(" ");
            if (parts.length == 2) {
                try {
                    readSegment = Long.parseLong(parts[0]);
                    readOffset = Long.parseLong(parts[1]);
                }
                catch (NumberFormatException ex) {
                    // A damaged cursor replays from the start: duplicates rather than loss.
                    readSegment = 0;
                    readOffset = 0;
                }
            }
        }
    }

    /** Replaces the cursor atomically; under {@code fsync=batch} the new cursor is on disk before it is used. */
    private void writeCursor() throws IOException {
        Path cursor = directory.resolve("cursor");
        Path temp = directory.resolve("cursor.tmp");
        try (FileChannel out = files.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer text = ByteBuffer.wrap((readSegment + " " + readOffset).getBytes(StandardCharsets.US_ASCII));
            while (text.hasRemaining()) {
                out.write(text);
            }
            if (settings.fsync() == SpoolSettings.FsyncPolicy.BATCH) {
                out.force(false);
            }
        }
        try {
            Files.move(temp, cursor, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (AtomicMoveNotSupportedException ex) {
            Files.move(temp, cursor, StandardCopyOption.REPLACE_EXISTING);
        }
        syncDirectory();
    }

    private Path segmentPath(long seq) {
        return directory.resolve(String.format("%020d%s", seq, SUFFIX));
    }

    private void closeWriter() throws IOException {
        FileChannel out = writer;
        writer = null;
        if (out != null) {
            try {
                if (settings.fsync() == SpoolSettings.FsyncPolicy.BATCH) {
                    out.force(false); // a segment being rolled holds records not yet forced
                }
            }
            finally {
                out.close();
            }
        }
    }

    private void requireOpen() throws IOException {
        if (closed) {
            // The directory may already belong to a new spool (a restart after an abandoning shutdown).
            throw new IOException("The log spool in " + directory + " is closed");
        }
    }

    /** Closes the segment being written and releases the directory lock. Safe to call more than once. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            closeWriter();
        }
        finally {
            try {
                if (lock.isValid()) {
                    lock.release();
                }
            }
            finally {
                lockChannel.close();
            }
        }
    }

    public Map<String, Object> metrics() {
        long max = settings.maxBytes();
        double percent = Math.min(100.0, Math.round(bytesOnDisk * 1000.0 / max) / 10.0);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("spooled", pendingEntries);
        m.put("spoolBytes", bytesOnDisk);
        m.put("spoolMaxBytes", max);
        m.put("spoolFillPercent", percent);
        m.put("spoolAppended", appended);
        m.put("spoolReplayed", replayed);
        m.put("spoolDropped", droppedWhenFull);
        m.put("spoolCorruptRecords", corruptRecords);
        m.put("spoolDirectory", directory.toString());
        return m;
    }

    public long droppedWhenFull() {
        return droppedWhenFull;
    }

    public long bytesOnDisk() {
        return bytesOnDisk;
    }

    /** How full the spool is, 0 to 100. */
    public double fillPercent() {
        return Math.min(100.0, bytesOnDisk * 100.0 / settings.maxBytes());
    }

    /** Reads records of one segment through a window, so skipping a damaged region costs no read per byte. */
    private static final class SegmentReader implements AutoCloseable {

        private static final int WINDOW = 64 * 1024;

        private final FileChannel channel;
        private final long limit;
        private final ByteBuffer window = ByteBuffer.allocate(WINDOW);
        private long windowStart = -1;
        private int windowLength;

        SegmentReader(FileChannel channel, long limit) {
            this.channel = channel;
            this.limit = limit;
        }

        /** The payload of a whole, intact record at {@code offset}, or null if there is none. */
        byte @Nullable [] recordAt(long offset) throws IOException {
            if (offset + HEADER > limit) {
                return null;
            }
            int length = intAt(offset);
            if (length < MIN_RECORD || length > MAX_RECORD || offset + HEADER + length > limit) {
                return null;
            }
            int checksum = intAt(offset + 4);
            byte[] payload = new byte[length];
            if (offset + HEADER + length <= windowStart + windowLength && offset + HEADER >= windowStart) {
                window.get((int) (offset + HEADER - windowStart), payload);
            }
            else {
                readFully(channel, ByteBuffer.wrap(payload), offset + HEADER);
            }
            CRC32C crc = new CRC32C();
            crc.update(payload, 0, length);
            return (int) crc.getValue() == checksum ? payload : null;
        }

        /** Offset of the next intact record at or after {@code from}, or -1. */
        long findValid(long from) throws IOException {
            for (long p = from; p + HEADER <= limit; p++) {
                if (recordAt(p) != null) {
                    return p;
                }
            }
            return -1;
        }

        private int intAt(long position) throws IOException {
            if (windowStart < 0 || position < windowStart || position + 4 > windowStart + windowLength) {
                window.clear();
                window.limit((int) Math.min(WINDOW, limit - position));
                readFully(channel, window, position);
                windowStart = position;
                windowLength = window.limit();
            }
            return window.getInt((int) (position - windowStart));
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }

        private static void readFully(FileChannel in, ByteBuffer buffer, long position) throws IOException {
            long pos = position;
            while (buffer.hasRemaining()) {
                int n = in.read(buffer, pos);
                if (n < 0) {
                    throw new IOException("unexpected end of spool segment");
                }
                pos += n;
            }
        }
    }
}
