package dev.colony.worker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The worker is a client of the SDK like any other: its public API and the protocol only. */
@AnalyzeClasses(
    packages = "dev.colony.worker",
    importOptions = ImportOption.DoNotIncludeTests.class)
class WorkerLayersTest {

  @ArchTest
  static final ArchRule workerUsesOnlyTheClientsPublicApi =
      noClasses()
          .that()
          .resideInAPackage("dev.colony.worker..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.colony.client.internal..")
          .because(
              "dev.colony.client.internal may change with any client release; what the worker needs"
                  + " from the client is public (dev.colony.client, dev.colony.client.task) or is"
                  + " the protocol (dev.colony.proto)");
}
