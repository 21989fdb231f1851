package io.persistencelog.autoconfigure.compat;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Nothing in the starter keeps per-thread state: with virtual threads an application may log from millions
 * of short-lived threads, and a {@code ThreadLocal} (or {@code InheritableThreadLocal}) in the log path would
 * allocate per thread and defeat the point of a cheap call. Jackson's buffer recycling is only used by the
 * backends' lane threads (a handful of long-lived platform threads), never on the caller's thread.
 * ({@code ThreadLocalRandom} is fine: it lives in the {@code Thread} object itself, used by the Datadog lane.)
 */
class NoPerThreadStateTest {

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.persistencelog");

    @Test
    void noThreadLocalAnywhereInTheStarter() {
        noClasses().should().dependOnClassesThat().areAssignableTo(ThreadLocal.class).check(classes);
    }
}
