package io.netsvc.launcher;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fails the build on an import that breaks the module layering (a module uses only the modules
 * below it; what ships never uses the sim or the benchmarks) or the pure model rule. It lives in
 * the launcher because its test classpath holds every production module.
 */
class LayeringTest {
  private static final JavaClasses NETSVC =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.netsvc");

  /** The modules' packages, lowest first: each may use only those before it. */
  private static final List<String> LAYERS =
      List.of(
          "io.netsvc.config..",
          "io.netsvc.k8s..",
          "io.netsvc.actors..",
          "io.netsvc.nodeagent..",
          "io.netsvc.cluster..",
          "io.netsvc.sim..",
          "io.netsvc.launcher..",
          "io.netsvc.bench..");

  @Test
  void seesEveryProductionModule() {
    for (String layer : LAYERS.subList(0, LAYERS.size() - 1)) {
      assertThat(NETSVC.that(JavaClass.Predicates.resideInAPackage(layer))).as(layer).isNotEmpty();
    }
  }

  @Test
  void modelPackagesArePure() {
    classes()
        .that()
        .resideInAPackage("io.netsvc..model..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..",
            "io.fabric8.kubernetes.api.model..",
            "com.fasterxml.jackson..",
            "io.netsvc.config..",
            "io.netsvc.k8s.records..",
            "io.netsvc..model..")
        .because("pure decision code takes no actor, client or file")
        .check(NETSVC);
  }

  @Test
  void dependenciesPointDownwards() {
    for (int i = 0; i < LAYERS.size() - 1; i++) {
      noClasses()
          .that()
          .resideInAPackage(LAYERS.get(i))
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(LAYERS.subList(i + 1, LAYERS.size()).toArray(String[]::new))
          .check(NETSVC);
    }
  }

  @Test
  void actorsUseNoKubernetesClient() {
    noClasses()
        .that()
        .resideInAPackage("io.netsvc.actors..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.fabric8.kubernetes.client..")
        .check(NETSVC);
  }

  @Test
  void whatShipsNeverUsesTheSimOrTheBenchmarks() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.netsvc.config..",
            "io.netsvc.k8s..",
            "io.netsvc.actors..",
            "io.netsvc.nodeagent..",
            "io.netsvc.cluster..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.netsvc.sim..", "io.netsvc.bench..", "io.fabric8.mockwebserver..")
        .because("a real cluster runs config..cluster; the sim and benchmarks are for one machine")
        .check(NETSVC);
  }

  /**
   * One slice per package ({@code x} and {@code x.model} are different slices, and the root {@code
   * io.netsvc.nodeagent} is one too), so a feature that needs another's actor while that one needs
   * it back shows up here instead of growing unnoticed.
   */
  @Test
  void actorAndAgentPackagesAreFreeOfCycles() {
    slices()
        .assignedFrom(ONE_SLICE_PER_PACKAGE)
        .should()
        .beFreeOfCycles()
        .because("features depend on the node entity and on pure models, never on each other")
        .check(NETSVC);
  }

  private static final SliceAssignment ONE_SLICE_PER_PACKAGE =
      new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
          String p = c.getPackageName();
          boolean ours =
              p.startsWith("io.netsvc.actors.")
                  || p.equals("io.netsvc.nodeagent")
                  || p.startsWith("io.netsvc.nodeagent.");
          return ours ? SliceIdentifier.of(p) : SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
          return "one slice per package in io.netsvc.actors.. and io.netsvc.nodeagent..";
        }
      };
}
