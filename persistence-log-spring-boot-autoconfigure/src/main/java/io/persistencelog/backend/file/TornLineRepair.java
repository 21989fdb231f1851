package io.persistencelog.backend.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Keeps a weekly file valid JSON Lines after a crash: a process killed mid-append can leave a last line
 * without its newline. Such a tail is cut back to the end of the last complete line.
 */
final class TornLineRepair {

    private static final int CHUNK = 8192;

    private TornLineRepair() {
    }

    /** Returns true when a torn tail was removed. */
    static boolean repair(Path file) throws IOException {
        if (!Files.exists(file)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            if (size == 0 || lastByte(channel, size) == '\n') {
                return false;
            }
            channel.truncate(endOfLastCompleteLine(channel, size));
            return true;
        }
    }

    private static byte lastByte(FileChannel channel, long size) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        channel.read(one, size - 1);
        return one.get(0);
    }

    private static long endOfLastCompleteLine(FileChannel channel, long size) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
        long end = size;
        while (end > 0) {
            long start = Math.max(0, end - CHUNK);
            buffer.clear().limit((int) (end - start));
            channel.read(buffer, start);
            for (int i = buffer.position() - 1; i >= 0; i--) {
                if (buffer.get(i) == '\n') {
                    return start + i + 1;
                }
            }
            end = start;
        }
        return 0;
    }
}
