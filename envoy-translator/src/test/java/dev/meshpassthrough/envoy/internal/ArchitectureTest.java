package dev.meshpassthrough.envoy.internal;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Keeps the translator's public surface small and its dependencies pointing down. */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.meshpassthrough.envoy");

  @Test
  void translator_dependsOnNoModuleAboveIt() {
    noClasses()
        .that()
        .resideInAPackage("dev.meshpassthrough.envoy..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.meshpassthrough.testkit..",
            "dev.meshpassthrough.cli..",
            "dev.meshpassthrough.benchmarks..",
            "dev.meshpassthrough.core.parse.internal..",
            "dev.meshpassthrough.validation.internal..")
        .check(CLASSES);
  }

  @Test
  void profilePackages_exposeOnlyTheirEntryPoint() {
    classes()
        .that()
        .resideInAnyPackage(
            "dev.meshpassthrough.envoy.internal.kuma", "dev.meshpassthrough.envoy.internal.exact")
        .and()
        .arePublic()
        .should()
        .haveSimpleNameEndingWith("Profile")
        .check(CLASSES);
  }

  @Test
  void translatorImplementationsBehindTheInterface_areNotPublic() {
    classes()
        .that()
        .implement(dev.meshpassthrough.envoy.PassthroughTranslator.class)
        .and()
        .resideInAPackage("dev.meshpassthrough.envoy.internal..")
        .should()
        .notBePublic()
        .check(CLASSES);
  }

  @Test
  void profiles_doNotDependOnEachOther() {
    noClasses()
        .that()
        .resideInAPackage("dev.meshpassthrough.envoy.internal.kuma")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.meshpassthrough.envoy.internal.exact")
        .check(CLASSES);
    noClasses()
        .that()
        .resideInAPackage("dev.meshpassthrough.envoy.internal.exact")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.meshpassthrough.envoy.internal.kuma")
        .check(CLASSES);
  }

  @Test
  void sharedInternals_knowTheProfilesOnlyInTheFactory() {
    noClasses()
        .that()
        .resideInAPackage("dev.meshpassthrough.envoy.internal")
        .and()
        .doNotHaveSimpleName("TranslatorFactory")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.meshpassthrough.envoy.internal.kuma", "dev.meshpassthrough.envoy.internal.exact")
        .check(CLASSES);
  }

  @Test
  void publicPackage_reachesTheProfilesOnlyThroughTheFactory() {
    noClasses()
        .that()
        .resideInAPackage("dev.meshpassthrough.envoy")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.meshpassthrough.envoy.internal.kuma", "dev.meshpassthrough.envoy.internal.exact")
        .check(CLASSES);
  }

  @Test
  void publicPackage_hasAboutTenTypes() {
    // Eleven since the audit mode's Enforcement, a closed set beside DomainPinning and Encoding.
    long topLevel =
        CLASSES.stream()
            .filter(c -> c.getPackageName().equals("dev.meshpassthrough.envoy"))
            .filter(JavaClass::isTopLevelClass)
            .filter(c -> c.getModifiers().contains(JavaModifier.PUBLIC))
            .count();
    assertThat(topLevel).isBetween(1L, 11L);
  }
}
