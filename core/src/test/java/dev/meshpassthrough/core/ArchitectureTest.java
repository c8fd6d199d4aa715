package dev.meshpassthrough.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.meshpassthrough.core.parse.PolicyParser;
import dev.meshpassthrough.core.resolve.PolicyResolver;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Keeps core's structure: feature packages without cycles, public API that does not lean on
 * internals that lean back on it, services whose implementations are not public, and no Envoy or
 * protobuf type anywhere.
 */
class ArchitectureTest {
  private static final String CORE = "dev.meshpassthrough.core";
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages(CORE);

  @Test
  void featurePackages_formNoCycles() {
    slices().matching(CORE + ".(*)..").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void core_usesNoProtobufEnvoyOrGrpcTypes() {
    noClasses()
        .that()
        .resideInAPackage(CORE + "..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("com.google.protobuf..", "io.envoyproxy..", "envoy..", "io.grpc..")
        .check(CLASSES);
  }

  @Test
  void publicApi_doesNotDependOnInternalsThatDependBackOnIt() {
    classes()
        .that()
        .resideInAPackage(CORE + "..")
        .and()
        .resideOutsideOfPackage("..internal..")
        .should(notReachThemselvesThroughAnInternalClass())
        .check(CLASSES);
  }

  @Test
  void internals_areUsedOnlyWithinTheirParentPackageTree() {
    noClasses()
        .that()
        .resideOutsideOfPackage(CORE + ".resolve..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage(CORE + ".resolve.internal..")
        .check(CLASSES);
    // YamlTags is the one tag check of both YAML readers: the policy parser and the proxy file's
    // locator.
    noClasses()
        .that()
        .resideOutsideOfPackage(CORE + ".parse..")
        .should()
        .dependOnClassesThat(
            DescribedPredicate.describe(
                "are in parse.internal other than YamlTags",
                (JavaClass c) ->
                    c.getPackageName().startsWith(CORE + ".parse.internal")
                        && !c.getSimpleName().equals("YamlTags")))
        .check(CLASSES);
  }

  @Test
  void serviceImplementations_areNotPublic() {
    classes()
        .that()
        .implement(PolicyParser.class)
        .or()
        .implement(PolicyResolver.class)
        .should()
        .notBePublic()
        .andShould()
        .haveModifier(JavaModifier.FINAL)
        .check(CLASSES);
  }

  /**
   * Fails a class that depends on an internal class from which a chain of dependencies leads back
   * to it.
   */
  private static ArchCondition<JavaClass> notReachThemselvesThroughAnInternalClass() {
    return new ArchCondition<>("not depend on an internal class that depends back on them") {
      @Override
      public void check(JavaClass api, ConditionEvents events) {
        Set<String> checked = new HashSet<>();
        for (Dependency dependency : api.getDirectDependenciesFromSelf()) {
          JavaClass target = dependency.getTargetClass();
          if (inCore(target)
              && target.getPackageName().contains(".internal")
              && checked.add(target.getName())) {
            pathBack(target, api)
                .ifPresent(
                    via ->
                        events.add(
                            SimpleConditionEvent.violated(
                                api,
                                api.getName()
                                    + " depends on "
                                    + target.getName()
                                    + ", which depends back on it through "
                                    + via)));
          }
        }
      }
    };
  }

  /**
   * The first class on a dependency chain from {@code from} to {@code to}, inside core, if there is
   * one.
   */
  private static Optional<String> pathBack(JavaClass from, JavaClass to) {
    Deque<JavaClass> queue = new ArrayDeque<>();
    Set<String> seen = new HashSet<>();
    queue.add(from);
    seen.add(from.getName());
    while (!queue.isEmpty()) {
      JavaClass next = queue.poll();
      for (Dependency dependency : next.getDirectDependenciesFromSelf()) {
        JavaClass target = topLevel(dependency.getTargetClass());
        if (target.equals(topLevel(to))) {
          return Optional.of(next.getName());
        }
        if (inCore(target) && seen.add(target.getName())) {
          queue.add(target);
        }
      }
    }
    return Optional.empty();
  }

  private static JavaClass topLevel(JavaClass type) {
    JavaClass outer = type;
    while (outer.getEnclosingClass().isPresent()) {
      outer = outer.getEnclosingClass().get();
    }
    return outer;
  }

  private static boolean inCore(JavaClass type) {
    return type.getPackageName().startsWith(CORE);
  }
}
