package io.persistencelog.engine.spool;

import io.persistencelog.LogEntry;
import io.persistencelog.codec.ByteSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
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
 * the spool is opened; a record with a bad checksum ends its segment and is counted) and a restart
 * (opening a non-empty spool resumes replay where the cursor points).
 *
 * <p>Used by one lane thread; only the figures in {@link #metrics()} are read from other threads.
 */
public final class Spool implements AutoCloseable {

    private static final int HEADER = 8;
    private static final String SUFFIX = ".seg";
    private static final int MAX_RECORD = 64 * 1024 * 1024;

    private final Path directory;
    private final SpoolSettings settings;
    private final SpoolCodec codec;
    /** Segment sequence -> entries and bytes in it, oldest first. */
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    private @Nullable FileChannel writer;
    private long readSegment;
    private long readOffset;
    private long peekSegment;
    private long peekOffset;
    private int peekCount;
    private volatile long pendingEntries;
    private volatile long bytesOnDisk;
    private volatile long appended;
    private volatile long replayed;
    private volatile long droppedWhenFull;
    private volatile long corruptRecords;

    private static final class Segment {
        long entries;
        long bytes;
        /** Entries of this segment before the read offset (already replayed). */
        long consumed;
    }

    public Spool(Path directory, SpoolSettings settings) {
        this.directory = directory;
        this.settings = settings;
        this.codec = new SpoolCodec(settings.maxValueLength());
        try {
            Files.createDirectories(directory);
            load();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot open the log spool in " + directory
                    + "; check log-persistence.spool.directory", ex);
        }
    }

    public boolean isEmpty() {
        return pendingEntries == 0;
    }

    public long pendingEntries() {
        return pendingEntries;
    }

    /** Appends entries; returns how many were stored (fewer when the spool is full under DROP_NEWEST). */
    public int append(List<LogEntry> entries) throws IOException {
        int stored = 0;
        for (LogEntry entry : entries) {
            ByteSink record = codec.encode(entry);
            int size = HEADER + record.size();
            if (!makeRoom(size)) {
                droppedWhenFull += entries.size() - stored;
                break;
            }
            FileChannel out = writerFor(size);
            CRC32C crc = new CRC32C();
            crc.update(record.array(), 0, record.size());
            ByteBuffer header = ByteBuffer.allocate(HEADER).putInt(record.size()).putInt((int) crc.getValue()).flip();
            writeFully(out, header);
            writeFully(out, ByteBuffer.wrap(record.array(), 0, record.size()));
            Segment last = segments.lastEntry().getValue();
            last.entries++;
            last.bytes += size;
            bytesOnDisk += size;
            pendingEntries++;
            stored++;
        }
        if (stored > 0) {
            appended += stored;
            if (settings.fsync() == SpoolSettings.FsyncPolicy.BATCH && writer != null) {
                writer.force(false);
            }
        }
        return stored;
    }

    /**
     * Reads up to {@code max} entries from the replay position without consuming them; call
     * {@link #commit()} once they are delivered.
     */
    public List<LogEntry> peek(int max) throws IOException {
        List<LogEntry> out = new ArrayList<>(Math.min(max, 1024));
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
            Path file = segmentPath(segment);
            long size = Files.size(file);
            try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                while (out.size() < max && offset + HEADER <= size) {
                    ByteBuffer header = ByteBuffer.allocate(HEADER);
                    readFully(in, header, offset);
                    int length = header.getInt(0);
                    int checksum = header.getInt(4);
                    if (length < 0 || length > MAX_RECORD || offset + HEADER + length > size) {
                        break;
                    }
                    byte[] payload = new byte[length];
                    readFully(in, ByteBuffer.wrap(payload), offset + HEADER);
                    CRC32C crc = new CRC32C();
                    crc.update(payload, 0, length);
                    if ((int) crc.getValue() != checksum) {
                        corruptRecords++;
                        offset = size; // the rest of this segment cannot be trusted
                        break;
                    }
                    out.add(SpoolCodec.decode(payload, 0, length));
                    offset += HEADER + length;
                }
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
        peekCount = out.size();
        return out;
    }

    /** Consumes what the last {@link #peek} returned. */
    public void commit() throws IOException {
        if (peekCount == 0 && peekSegment == readSegment && peekOffset == readOffset) {
            return;
        }
        long remaining = peekCount;
        for (Map.Entry<Long, Segment> e : segments.headMap(peekSegment, true).entrySet()) {
            Segment s = e.getValue();
            long take = Math.min(remaining, s.entries - s.consumed);
            s.consumed += take;
            remaining -= take;
        }
        replayed += peekCount;
        pendingEntries = Math.max(0, pendingEntries - peekCount);
        readSegment = peekSegment;
        readOffset = peekOffset;
        peekCount = 0;
        deleteFinishedSegments();
        writeCursor();
    }

    private void deleteFinishedSegments() throws IOException {
        while (!segments.isEmpty() && segments.firstKey() < readSegment) {
            dropSegment(segments.firstKey());
        }
        if (pendingEntries == 0 && !segments.isEmpty()) {
            // Everything replayed: start afresh so the directory does not keep empty history.
            closeWriter();
            for (Long seq : new ArrayList<>(segments.keySet())) {
                dropSegment(seq);
            }
            readOffset = 0;
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
            long lost = s.entries - s.consumed;
            droppedWhenFull += lost;
            pendingEntries = Math.max(0, pendingEntries - lost);
            dropSegment(oldest);
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
        if (out == null || segments.isEmpty() || segments.lastEntry().getValue().bytes + size > settings.segmentBytes()
                && segments.lastEntry().getValue().bytes > 0) {
            closeWriter();
            long seq = segments.isEmpty() ? Math.max(1, readSegment) : segments.lastKey() + 1;
            Path file = segmentPath(seq);
            createFile(file);
            out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            segments.put(seq, new Segment());
            if (segments.size() == 1) {
                readSegment = seq;
                readOffset = 0;
            }
            writer = out;
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

    // ------------------------------------------------------------------ opening an existing spool

    private void load() throws IOException {
        try (var files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (name.endsWith(SUFFIX)) {
                    segments.put(Long.parseLong(name.substring(0, name.length() - SUFFIX.length())), new Segment());
                }
            }
        }
        readCursor();
        long pending = 0;
        long bytes = 0;
        for (Map.Entry<Long, Segment> e : segments.entrySet()) {
            Segment s = e.getValue();
            long validEnd = scan(e.getKey(), s);
            s.bytes = validEnd;
            bytes += validEnd;
            if (e.getKey() < readSegment) {
                s.consumed = s.entries;
            }
            else if (e.getKey() == readSegment) {
                s.consumed = countRecordsBefore(e.getKey(), readOffset);
            }
            pending += s.entries - s.consumed;
        }
        pendingEntries = pending;
        bytesOnDisk = bytes;
        if (!segments.isEmpty() && readSegment < segments.firstKey()) {
            readSegment = segments.firstKey();
            readOffset = 0;
        }
    }

    /** Counts valid records and cuts a torn tail left by a crash; returns the valid length. */
    private long scan(long seq, Segment segment) throws IOException {
        Path file = segmentPath(seq);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            long offset = 0;
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            while (offset + HEADER <= size) {
                header.clear();
                readFully(channel, header, offset);
                int length = header.getInt(0);
                if (length < 0 || length > MAX_RECORD || offset + HEADER + length > size) {
                    break;
                }
                offset += HEADER + length;
                segment.entries++;
            }
            if (offset < size) {
                channel.truncate(offset);
            }
            return offset;
        }
    }

    private long countRecordsBefore(long seq, long limit) throws IOException {
        long count = 0;
        try (FileChannel channel = FileChannel.open(segmentPath(seq), StandardOpenOption.READ)) {
            long offset = 0;
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            while (offset + HEADER <= limit) {
                header.clear();
                readFully(channel, header, offset);
                offset += HEADER + header.getInt(0);
                count++;
            }
        }
        return count;
    }

    private void readCursor() throws IOException {
        Path cursor = directory.resolve("cursor");
        if (Files.exists(cursor)) {
            String[] parts = Files.readString(cursor, StandardCharsets.US_ASCII).trim().split(" ");
            if (parts.length == 2) {
                readSegment = Long.parseLong(parts[0]);
                readOffset = Long.parseLong(parts[1]);
            }
        }
    }

    private void writeCursor() throws IOException {
        Path cursor = directory.resolve("cursor");
        Path temp = directory.resolve("cursor.tmp");
        Files.writeString(temp, readSegment + " " + readOffset, StandardCharsets.US_ASCII);
        try {
            Files.move(temp, cursor, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (AtomicMoveNotSupportedException ex) {
            Files.move(temp, cursor, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private Path segmentPath(long seq) {
        return directory.resolve(String.format("%020d%s", seq, SUFFIX));
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
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

    private void closeWriter() throws IOException {
        FileChannel out = writer;
        writer = null;
        if (out != null) {
            out.close();
        }
    }

    @Override
    public void close() throws IOException {
        closeWriter();
    }

    public Map<String, Object> metrics() {
        return Map.of("spooled", pendingEntries, "spoolBytes", bytesOnDisk, "spoolAppended", appended,
                "spoolReplayed", replayed, "spoolDropped", droppedWhenFull, "spoolCorruptRecords", corruptRecords,
                "spoolDirectory", directory.toString());
    }

    public long droppedWhenFull() {
        return droppedWhenFull;
    }
}
