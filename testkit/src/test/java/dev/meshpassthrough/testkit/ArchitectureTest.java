package dev.meshpassthrough.testkit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Keeps the testkit's public surface small and its dependencies pointing down. */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.meshpassthrough.testkit");

  @Test
  void testkit_dependsOnNoModuleAboveIt_norOnOtherModulesInternals() {
    noClasses()
        .that()
        .resideInAPackage("dev.meshpassthrough.testkit..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.meshpassthrough.cli..",
            "dev.meshpassthrough.benchmarks..",
            "dev.meshpassthrough.core.parse.internal..",
            "dev.meshpassthrough.validation.internal..",
            "dev.meshpassthrough.envoy.internal..")
        .check(CLASSES);
  }

  @Test
  void theApi_doesNotLeakTheJqwikEngine_orTheTestkitsInternalsIntoSignatures() {
    noClasses()
        .that()
        .resideInAPackage("dev.meshpassthrough.testkit..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("net.jqwik.engine..", "org.junit.platform..")
        .check(CLASSES);
  }

  @Test
  void publicPackage_hasAboutTenTypes() {
    long topLevel =
        CLASSES.stream()
            .filter(c -> c.getPackageName().equals("dev.meshpassthrough.testkit"))
            .filter(JavaClass::isTopLevelClass)
            .filter(c -> c.getModifiers().contains(JavaModifier.PUBLIC))
            .count();
    // Decision, Connection, Intent, Upstream and their kin: users meet each in an assertion.
    assertThat(topLevel).isBetween(1L, 13L);
  }
}
