package io.netsvc.cluster;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

/**
 * Fails the build on an import that breaks the module table or the pure model rule
 * (docs/architecture.md).
 */
class LayeringTest {
  private static final JavaClasses NETSVC =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.netsvc");

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
        .because("pure decision code takes no actor, client or file (docs/architecture.md)")
        .check(NETSVC);
  }

  @Test
  void dependenciesPointDownwards() {
    noClasses()
        .that()
        .resideInAPackage("io.netsvc.config..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.netsvc.k8s..", "io.netsvc.actors..", "io.netsvc.nodeagent..", "io.netsvc.cluster..")
        .check(NETSVC);
    noClasses()
        .that()
        .resideInAPackage("io.netsvc.k8s..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.netsvc.actors..", "io.netsvc.nodeagent..", "io.netsvc.cluster..")
        .check(NETSVC);
    noClasses()
        .that()
        .resideInAPackage("io.netsvc.actors..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.netsvc.nodeagent..", "io.netsvc.cluster..", "io.fabric8.kubernetes.client..")
        .check(NETSVC);
    noClasses()
        .that()
        .resideInAPackage("io.netsvc.nodeagent..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.netsvc.cluster..")
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
