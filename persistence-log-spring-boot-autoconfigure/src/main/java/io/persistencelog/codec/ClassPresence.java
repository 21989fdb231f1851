package io.persistencelog.codec;

/** Whether an optional library is on the classpath, checked once per use site without initialising it. */
public final class ClassPresence {

    private ClassPresence() {
    }

    /** True when {@code className} loads through {@code owner}'s class loader (a broken jar counts as absent). */
    public static boolean isPresent(String className, Class<?> owner) {
        try {
            Class.forName(className, false, owner.getClassLoader());
            return true;
        }
        catch (ClassNotFoundException | LinkageError ex) {
            return false;
        }
    }
}
