package io.persistencelog;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The engine, the API and the backends stay usable without Spring. */
class ArchitectureTest {

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.persistencelog");

    @Test
    void springLivesOnlyInTheAutoconfigurePackage() {
        noClasses().that().resideOutsideOfPackage("io.persistencelog.autoconfigure..")
                .should().dependOnClassesThat().resideInAPackage("org.springframework..")
                .check(classes);
    }

    @Test
    void theApiDoesNotDependOnBackends() {
        noClasses().that().resideInAPackage("io.persistencelog")
                .should().dependOnClassesThat().resideInAPackage("io.persistencelog.backend..")
                .check(classes);
    }
}
