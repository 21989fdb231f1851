package io.persistencelog.benchmarks;

import io.persistencelog.engine.OverflowPolicy;
import java.nio.file.Path;

/**
 * Writes one event with one framework and prints the line it wrote, so the report can show that all three
 * write the same event. Usage: {@code SampleLine starter|log4j2|logback} (one framework per JVM).
 */
public final class SampleLine {

    private SampleLine() {
    }

    public static void main(String[] args) {
        String framework = args.length > 0 ? args[0] : "starter";
        Path directory = LineFiles.newDirectory("sample-" + framework);
        switch (framework) {
            case "starter" -> {
                StarterFixture f = StarterFixture.start(directory, OverflowPolicy.BLOCK);
                f.log(0);
                f.drainAndStop();
            }
            case "log4j2" -> {
                Log4j2Fixture f = Log4j2Fixture.start(directory);
                f.log(0);
                f.drainAndStop();
            }
            case "logback" -> {
                LogbackFixture f = LogbackFixture.start(directory);
                f.log(0);
                f.drainAndStop();
            }
            default -> throw new IllegalArgumentException("unknown framework " + framework);
        }
        LineFiles.verify(framework, directory, 1);
        System.out.println(LineFiles.firstLine(directory));
        LineFiles.delete(directory);
    }
}
