package dev.meshpassthrough.validation;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Keeps the module direction true and protobuf/Envoy types out of core and validation. */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.meshpassthrough.core", "dev.meshpassthrough.validation");

  @Test
  void coreAndValidation_useNoProtobufOrEnvoyTypes() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.meshpassthrough.core..", "dev.meshpassthrough.validation..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("com.google.protobuf..", "io.envoyproxy..", "envoy..")
        .check(CLASSES);
  }

  @Test
  void coreAndValidation_dependOnNoModuleAboveThem() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.meshpassthrough.core..", "dev.meshpassthrough.validation..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.meshpassthrough.envoy..",
            "dev.meshpassthrough.testkit..",
            "dev.meshpassthrough.cli..",
            "dev.meshpassthrough.benchmarks..")
        .check(CLASSES);
  }

  @Test
  void core_doesNotDependOnValidation() {
    noClasses()
        .that()
        .resideInAPackage("dev.meshpassthrough.core..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.meshpassthrough.validation..")
        .check(CLASSES);
  }

  @Test
  void validatorImplementation_isNotPublic_andInternalsDoNotCallBackIntoIt() {
    classes().that().implement(PolicyValidator.class).should().notBePublic().check(CLASSES);
    noClasses()
        .that()
        .resideInAPackage("dev.meshpassthrough.validation.internal..")
        .should()
        .dependOnClassesThat()
        .implement(PolicyValidator.class)
        .check(CLASSES);
  }

  @Test
  void publicApi_doesNotDependOnAnotherModulesInternals() {
    noClasses()
        .that()
        .resideInAPackage("dev.meshpassthrough.validation.internal..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.meshpassthrough.core.parse.internal..")
        .check(CLASSES);
  }
}
