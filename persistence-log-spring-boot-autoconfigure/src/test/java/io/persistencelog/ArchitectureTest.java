package io.persistencelog;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The layers, from the bottom: the API/SPI at the root; the codec support (entries, encoding, secrets) and
 * the HTTP delivery support; the engine core; the backends, one package each; the configuration model and
 * the standalone assembly; the Spring auto-configuration on top. Arrows only point down.
 */
class ArchitectureTest {

    private static final String ROOT = "io.persistencelog";
    private static final String ENGINE = "io.persistencelog.engine..";
    private static final String CODEC = "io.persistencelog.codec..";
    private static final String HTTP = "io.persistencelog.http..";
    private static final String BACKENDS = "io.persistencelog.backend..";
    private static final String CONFIG = "io.persistencelog.config..";
    private static final String STANDALONE = "io.persistencelog.standalone..";
    private static final String AUTOCONFIGURE = "io.persistencelog.autoconfigure..";
    private static final String CAPTURE = "io.persistencelog.capture..";
    private static final String SPRING = "org.springframework..";

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);

    @Test
    void theEngineImportsNoBackendNoAssemblyAndNoSpring() {
        noClasses().that().resideInAPackage(ENGINE)
                .should().dependOnClassesThat().resideInAnyPackage(BACKENDS, HTTP, CONFIG, STANDALONE, AUTOCONFIGURE,
                        CAPTURE, SPRING)
                .check(classes);
    }

    @Test
    void noBackendImportsAnotherBackendOrTheEngine() {
        slices().matching("io.persistencelog.backend.(*)..").should().notDependOnEachOther().check(classes);
        noClasses().that().resideInAPackage(BACKENDS)
                .should().dependOnClassesThat().resideInAnyPackage(ENGINE, CONFIG, STANDALONE, AUTOCONFIGURE, CAPTURE)
                .check(classes);
    }

    @Test
    void theSharedSupportDependsOnlyOnTheApi() {
        noClasses().that().resideInAnyPackage(CODEC, HTTP)
                .should().dependOnClassesThat().resideInAnyPackage(ENGINE, BACKENDS, CONFIG, STANDALONE, AUTOCONFIGURE,
                        CAPTURE, SPRING)
                .check(classes);
        noClasses().that().resideInAPackage(CODEC).should().dependOnClassesThat().resideInAPackage(HTTP)
                .check(classes);
    }

    @Test
    void theApiNamesNoImplementation() {
        noClasses().that().resideInAPackage(ROOT)
                .should().dependOnClassesThat().resideInAnyPackage(BACKENDS, HTTP, CONFIG, AUTOCONFIGURE, CAPTURE, SPRING)
                .check(classes);
    }

    @Test
    void theAssembliesNameNoBackendAndNothingAboveThem() {
        noClasses().that().resideInAnyPackage(CONFIG, STANDALONE)
                .should().dependOnClassesThat().resideInAnyPackage(BACKENDS, AUTOCONFIGURE)
                .check(classes);
        // The log search reads the file backend's weekly files, so it reads where that backend writes them.
        noClasses().that().resideInAPackage(AUTOCONFIGURE).and().resideOutsideOfPackage("io.persistencelog.autoconfigure.search..")
                .should().dependOnClassesThat().resideInAnyPackage(BACKENDS, STANDALONE)
                .check(classes);
    }

    /**
     * A backend's settings record is bound by Spring Boot, and a backend that needs Spring beyond its settings
     * keeps that in its own {@code spring} sub-package (its auto-configuration).
     */
    @Test
    void springLivesOnlyWhereSettingsAreBoundAndInTheAutoConfiguration() {
        noClasses().that().resideOutsideOfPackages(AUTOCONFIGURE, CONFIG, "io.persistencelog.backend.*.spring..")
                .and().haveSimpleNameNotEndingWith("Properties")
                .should().dependOnClassesThat().resideInAPackage(SPRING)
                .check(classes);
    }
}
