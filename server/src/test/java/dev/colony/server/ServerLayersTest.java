package dev.colony.server;

import static com.tngtech.archunit.base.DescribedPredicate.and;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameContaining;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The coordinator's layers: the core (shared objects, sessions, tasks) and the store know nothing
 * of the transport, so they can be tested, replayed and replicated without gRPC or HTTP.
 */
@AnalyzeClasses(
    packages = "dev.colony.server",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ServerLayersTest {

  @ArchTest
  static final ArchRule coreAndStoreDoNotUseGrpc =
      noClasses()
          .that()
          .resideInAnyPackage("dev.colony.server.core..", "dev.colony.server.store..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.grpc..")
          .because(
              "the core and the store speak protobuf messages (dev.colony.proto, com.google.protobuf),"
                  + " not gRPC: the grpc package adapts them to the transport, so the core runs"
                  + " and is tested without a channel, and statuses are mapped in one place");

  @ArchTest
  static final ArchRule coreDoesNotUseTheServices =
      noClasses()
          .that()
          .resideInAPackage("dev.colony.server.core..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.colony.server.grpc..", "dev.colony.server.http..")
          .because(
              "the gRPC services and the dashboard call into the core, never the other way round:"
                  + " the core must not know which front end a call came through");

  @ArchTest
  static final ArchRule coreDoesNotUseRatis =
      noClasses()
          .that()
          .resideInAPackage("dev.colony.server.core..")
          .should()
          .dependOnClassesThat(
              and(resideInAPackage("dev.colony.server.store.."), simpleNameContaining("Ratis"))
                  .or(resideInAPackage("org.apache.ratis..")))
          .because(
              "the core writes its commands to the store's CommandLog interface; which log backs it"
                  + " (in memory or Ratis) is chosen where the server is assembled, not in the core");
}
