package io.netsvc.cluster;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
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
}
