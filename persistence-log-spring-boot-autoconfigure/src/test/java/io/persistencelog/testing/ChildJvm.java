package io.persistencelog.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one child-JVM launcher of the test suite: runs a {@code main} class on this test's class path in a
 * fresh JVM, with environment variables of the test's choosing (and {@code LOG_BACKENDS} removed unless
 * given), so crash, shutdown-hook and plain-{@code main} behaviour is tested on a real process.
 */
public final class ChildJvm {

    private final Class<?> mainClass;
    private final List<String> arguments = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private ProcessBuilder.Redirect output = ProcessBuilder.Redirect.PIPE;
    private ProcessBuilder.Redirect error = ProcessBuilder.Redirect.DISCARD;

    private ChildJvm(Class<?> mainClass) {
        this.mainClass = mainClass;
    }

    public static ChildJvm of(Class<?> mainClass, Object... arguments) {
        ChildJvm jvm = new ChildJvm(mainClass);
        for (Object argument : arguments) {
            jvm.arguments.add(String.valueOf(argument));
        }
        return jvm;
    }

    public ChildJvm env(String name, Object value) {
        environment.put(name, String.valueOf(value));
        return this;
    }

    /** Standard output and error both go to this file. */
    public ChildJvm outputTo(Path file) {
        this.output = ProcessBuilder.Redirect.to(file.toFile());
        this.error = null;
        return this;
    }

    public Process start() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                mainClass.getName()));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("LOG_BACKENDS");
        builder.environment().putAll(environment);
        builder.redirectOutput(output);
        if (error == null) {
            builder.redirectErrorStream(true);
        }
        else {
            builder.redirectError(error);
        }
        return builder.start();
    }
}
