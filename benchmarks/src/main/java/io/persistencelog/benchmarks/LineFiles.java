package io.persistencelog.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Temporary directories for the log files, and counting the lines that reached them. */
final class LineFiles {

    private static final Path ROOT = Path.of(System.getProperty("bench.dir", System.getProperty("java.io.tmpdir")));

    private LineFiles() {
    }

    static Path newDirectory(String prefix) {
        try {
            Files.createDirectories(ROOT);
            return Files.createTempDirectory(ROOT, "plbench-" + prefix + "-");
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Number of {@code \n}-terminated lines in every regular file under the directory. */
    static long countLines(Path directory) {
        long lines = 0;
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        for (Path file : files(directory)) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                while (true) {
                    buffer.clear();
                    int n = channel.read(buffer);
                    if (n < 0) {
                        break;
                    }
                    for (int i = 0; i < n; i++) {
                        if (buffer.get(i) == '\n') {
                            lines++;
                        }
                    }
                }
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return lines;
    }

    /** The first line of the first file, to show what was written. */
    static String firstLine(Path directory) {
        try {
            for (Path file : files(directory)) {
                try (Stream<String> lines = Files.lines(file)) {
                    return lines.findFirst().orElse("");
                }
            }
            return "";
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Fails the benchmark iteration unless exactly {@code expected} lines are on disk. */
    static void verify(String who, Path directory, long expected) {
        long lines = countLines(directory);
        if (lines != expected) {
            throw new IllegalStateException(who + ": expected " + expected + " lines in " + directory + " but found "
                    + lines);
        }
    }

    static void delete(Path directory) {
        if (Boolean.getBoolean("bench.keepFiles")) {
            return;
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static List<Path> files(Path directory) {
        try (Stream<Path> list = Files.list(directory)) {
            // Hidden files are not log files (the starter keeps its directory lock there).
            return list.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
