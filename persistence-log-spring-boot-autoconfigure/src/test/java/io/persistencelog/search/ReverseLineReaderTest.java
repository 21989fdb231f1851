package io.persistencelog.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader finds newlines eight bytes at a time: every line must still come back whole, last first, wherever
 * its newline falls in a word or a chunk, next to bytes that look like a newline to a bit trick.
 */
class ReverseLineReaderTest {

    /** Bytes one bit away from '\n' (0x0A), and 0x8A, whose low seven bits are a newline's. */
    private static final byte[] NEAR_NEWLINES = { 0x0B, 0x08, 0x09, 0x0E, 0x02, 0x1A, 0x4A, (byte) 0x8A, 0x00,
            (byte) 0xFF, 'x' };

    @TempDir
    Path dir;

    @Test
    void everyLineComesBackWholeLastFirstAcrossWordsAndChunks() throws IOException {
        Random random = new Random(42);
        List<byte[]> lines = new ArrayList<>();
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        // Lines of every length from 0 to 40 bytes, so newlines fall at every position within a word, and
        // enough of them to cross several 256 KB chunks; empty lines are left out by the reader.
        while (file.size() < 3 * ReverseLineReader.CHUNK + 12_345) {
            byte[] line = new byte[random.nextInt(41)];
            for (int i = 0; i < line.length; i++) {
                line[i] = NEAR_NEWLINES[random.nextInt(NEAR_NEWLINES.length)];
            }
            if (line.length > 0) {
                lines.add(line);
            }
            file.writeBytes(line);
            file.write('\n');
        }
        // The last line has no newline: a torn tail is still handed out.
        byte[] tail = { 'e', 'n', 'd', 0x0B, 0x0B, 0x0B, 0x0B, 0x0B, 0x0B };
        lines.add(tail);
        file.writeBytes(tail);
        Path path = Files.write(dir.resolve("lines"), file.toByteArray());

        List<byte[]> read = new ArrayList<>();
        try (ReverseLineReader reader = new ReverseLineReader(path, 1 << 20)) {
            reader.forEachLine((bytes, offset, length) -> read.add(Arrays.copyOfRange(bytes, offset, offset + length)));
        }

        Collections.reverse(lines);
        assertThat(read).hasSameSizeAs(lines);
        for (int i = 0; i < lines.size(); i++) {
            assertThat(read.get(i)).as("line %d from the end", i).isEqualTo(lines.get(i));
        }
    }

    @Test
    void aFileShorterThanAWordIsReadToo() throws IOException {
        Path path = Files.write(dir.resolve("short"), new byte[] { 'a', '\n', 'b', 'c', '\n', 'd' });
        List<String> read = new ArrayList<>();
        try (ReverseLineReader reader = new ReverseLineReader(path, 1024)) {
            reader.forEachLine((bytes, offset, length) -> read.add(new String(bytes, offset, length)));
        }
        assertThat(read).containsExactly("d", "bc", "a");
    }
}
