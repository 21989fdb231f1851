package io.persistencelog.search;

import java.io.Closeable;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads a file's lines from the last to the first, a chunk at a time from the end, so the newest entries of an
 * append-only file come first without reading (or holding) the rest. Memory is one chunk plus the longest line,
 * and a line longer than {@code maxLineBytes} is skipped (and counted) rather than buffered.
 *
 * <p>Hand-written hot path, measured ({@code SearchOneGigabyte}): a search over a whole range looks at every
 * byte of every file for newlines, so the newline search reads eight bytes at a time.
 */
final class ReverseLineReader implements Closeable {

    /** Receives a line's bytes (valid only during the call); answers whether to go on reading. */
    @FunctionalInterface
    interface LineHandler {
        boolean line(byte[] bytes, int offset, int length);
    }

    static final int CHUNK = 256 * 1024;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    private final FileChannel channel;
    private final int maxLineBytes;
    private byte[] buffer;
    /** File offset of buffer[0]; everything before it is still unread. */
    private long windowStart;
    /** Bytes buffer[0, lineEnd) are read but not yet handed out. */
    private int lineEnd;
    private boolean dropping;
    private long oversizedLines;

    ReverseLineReader(Path file, int maxLineBytes) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        this.maxLineBytes = maxLineBytes;
        this.buffer = new byte[CHUNK];
        // Only what exists now: lines appended while we read are newer than the search started.
        this.windowStart = channel.size();
    }

    /** Hands every line (without its newline, empty lines left out) to the handler, last first. */
    void forEachLine(LineHandler handler) throws IOException {
        while (true) {
            int newline = lastNewline();
            if (newline >= 0) {
                int start = newline + 1;
                int length = lineEnd - start;
                lineEnd = newline;
                if (dropping) {
                    // The start of an oversized line whose tail was discarded.
                    dropping = false;
                    continue;
                }
                if (length > 0 && !handler.line(buffer, start, length)) {
                    return;
                }
                continue;
            }
            if (windowStart == 0) {
                if (!dropping && lineEnd > 0) {
                    int length = lineEnd;
                    lineEnd = 0;
                    handler.line(buffer, 0, length);
                }
                return;
            }
            readEarlierChunk();
        }
    }

    /** Lines skipped because they were longer than the limit. */
    long oversizedLines() {
        return oversizedLines;
    }

    private int lastNewline() {
        byte[] b = buffer;
        int end = lineEnd;
        while (end >= Long.BYTES) {
            // A word holds a newline exactly when it has a zero byte once XOR-ed with newlines; which byte it
            // is comes from the byte loop (the bit trick can also flag a byte above a real zero).
            long x = (long) LONGS.get(b, end - Long.BYTES) ^ NEWLINES;
            if (((x - ONES) & ~x & HIGH_BITS) != 0) {
                for (int i = end - 1; i >= end - Long.BYTES; i--) {
                    if (b[i] == '\n') {
                        return i;
                    }
                }
            }
            end -= Long.BYTES;
        }
        for (int i = end - 1; i >= 0; i--) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void readEarlierChunk() throws IOException {
        int n = (int) Math.min(CHUNK, windowStart);
        if (lineEnd + n > maxLineBytes) {
            // The pending partial line is already too long: drop it and skip to its start.
            if (!dropping) {
                oversizedLines++;
            }
            dropping = true;
            lineEnd = 0;
        }
        if (lineEnd + n > buffer.length) {
            byte[] bigger = new byte[Math.max(lineEnd + n, Math.min(maxLineBytes + CHUNK, buffer.length * 2))];
            System.arraycopy(buffer, 0, bigger, n, lineEnd);
            buffer = bigger;
        }
        else {
            System.arraycopy(buffer, 0, buffer, n, lineEnd);
        }
        long position = windowStart - n;
        ByteBuffer target = ByteBuffer.wrap(buffer, 0, n);
        while (target.hasRemaining()) {
            int read = channel.read(target, position + target.position());
            if (read < 0) {
                throw new IOException("file shrank while being read");
            }
        }
        windowStart = position;
        lineEnd += n;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
