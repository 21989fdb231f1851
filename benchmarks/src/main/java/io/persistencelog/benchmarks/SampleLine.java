package io.persistencelog.benchmarks;

import java.nio.file.Path;

/**
 * Writes one event with one configuration and prints the line it wrote, so the report can show what each
 * writes. Usage: {@code SampleLine <config> [constant|varied] [seq]} (one configuration per JVM).
 */
public final class SampleLine {

    private SampleLine() {
    }

    public static void main(String[] args) {
        String config = args.length > 0 ? args[0] : "starter-echo-off";
        Workload.Kind kind = args.length > 1 ? Workload.Kind.valueOf(args[1]) : Workload.Kind.constant;
        long seq = args.length > 2 ? Long.parseLong(args[2]) : 0;
        Path directory = LineFiles.newDirectory("sample-" + config);
        Subject subject = Subject.start(config, kind, directory, Subject.Use.THROUGHPUT);
        subject.log(seq);
        subject.drainAndStop();
        LineFiles.verify(config, directory, 1);
        System.out.println(LineFiles.firstLine(directory));
        LineFiles.delete(directory);
    }
}
