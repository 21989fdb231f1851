package io.persistencelog.testing;

import java.io.File;
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
    private final List<String> classPathExclusions = new ArrayList<>();
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

    /**
     * Leaves out of the child's class path every entry whose path contains {@code fragment} (e.g. an optional
     * dependency's group directory), so "the library is absent" is tested on a real class path.
     */
    public ChildJvm withoutClassPathEntries(String fragment) {
        classPathExclusions.add(fragment);
        return this;
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
        List<String> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (classPathExclusions.stream().noneMatch(entry::contains)) {
                classPath.add(entry);
            }
        }
        List<String> command = new ArrayList<>(List.of(java, "-cp", String.join(File.pathSeparator, classPath),
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
