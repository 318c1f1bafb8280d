package io.outrigger.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries of the brief: {@code control-plane-api ← config ← proxy ← cli}, {@code
 * control-plane-api ← config ← control-plane ← cli}, {@code kvstore ← cli} and {@code lab ← cli},
 * nothing pointing back up, the contract free of I/O libraries, and no cycles between the proxy's
 * packages.
 */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.outrigger");

  private static final ArchRule modulesDependOnlyDownward =
      layeredArchitecture()
          .consideringOnlyDependenciesInAnyPackage("io.outrigger..")
          .layer("api")
          .definedBy("io.outrigger.api..")
          .layer("config")
          .definedBy("io.outrigger.config..")
          .layer("filters")
          .definedBy("io.outrigger.filters..")
          .layer("proxy")
          .definedBy("io.outrigger.proxy..")
          .layer("control-plane")
          .definedBy("io.outrigger.controlplane..")
          .layer("kvstore")
          .definedBy("io.outrigger.kvstore..")
          .layer("lab")
          .definedBy("io.outrigger.lab..")
          .layer("cli")
          .definedBy("io.outrigger.cli..")
          // The mesh CA stands alone (BouncyCastle only): the CLI issues certificates with it and
          // the control plane may serve them over SDS; the proxy only uses it in tests.
          .layer("certs")
          .definedBy("io.outrigger.certs..")
          .whereLayer("certs")
          .mayOnlyBeAccessedByLayers("cli", "control-plane")
          .whereLayer("cli")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("kvstore")
          .mayOnlyBeAccessedByLayers("cli")
          .whereLayer("lab")
          .mayOnlyBeAccessedByLayers("cli")
          .whereLayer("control-plane")
          .mayOnlyBeAccessedByLayers("cli")
          .whereLayer("proxy")
          .mayOnlyBeAccessedByLayers("cli")
          .whereLayer("filters")
          .mayOnlyBeAccessedByLayers("proxy", "cli")
          .whereLayer("config")
          .mayOnlyBeAccessedByLayers("filters", "proxy", "control-plane", "cli")
          .whereLayer("api")
          .mayOnlyBeAccessedByLayers("config", "filters", "proxy", "control-plane", "cli");

  private static final ArchRule controlPlaneUsesOnlyTheContractAndTheConfigReader =
      noClasses()
          .that()
          .resideInAPackage("io.outrigger.controlplane..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.outrigger.proxy..", "io.outrigger.filters..");

  private static final ArchRule controlPlanePackagesAreFreeOfCycles =
      slices().matching("io.outrigger.controlplane.(*)..").should().beFreeOfCycles();

  private static final ArchRule contractHasNoNettyAndNoIo =
      noClasses()
          .that()
          .resideInAnyPackage("io.outrigger.api..", "io.outrigger.config..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.netty..", "io.grpc.netty..", "io.micrometer..");

  private static final ArchRule modelIsPlainRecords =
      noClasses()
          .that()
          .resideInAPackage("io.outrigger.api.model..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("com.google.protobuf..", "io.envoyproxy..");

  // The store is an example service: to the mesh it is just another upstream, so it must work with
  // nothing of Outrigger's own (a user could put Envoy in front of it instead).
  // The lab checks the store and drives the control plane over HTTP only, so that what it checks
  // is what a client outside the mesh sees, and it could check another store.
  private static final ArchRule labSpeaksHttpOnly =
      noClasses()
          .that()
          .resideInAPackage("io.outrigger.lab..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.outrigger.api..",
              "io.outrigger.config..",
              "io.outrigger.filters..",
              "io.outrigger.proxy..",
              "io.outrigger.controlplane..",
              "io.outrigger.kvstore..",
              "io.outrigger.cli..");

  private static final ArchRule storeIsAPlainService =
      noClasses()
          .that()
          .resideInAPackage("io.outrigger.kvstore..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.outrigger.api..",
              "io.outrigger.config..",
              "io.outrigger.filters..",
              "io.outrigger.proxy..",
              "io.outrigger.controlplane..");

  private static final ArchRule proxyPackagesAreFreeOfCycles =
      slices().matching("io.outrigger.proxy.(*)..").should().beFreeOfCycles();

  // The router talks to its downstream stream only through RouterCallbacks (as Envoy's router
  // filter through its StreamDecoderFilterCallbacks), so that it can be tested without a
  // connection and the stream can change without the router.
  private static final ArchRule routerSeesItsStreamOnlyThroughCallbacks =
      noClasses()
          .that()
          .resideInAPackage("io.outrigger.proxy.http.router..")
          .should()
          .dependOnClassesThat()
          .haveFullyQualifiedName("io.outrigger.proxy.http.HttpStream");

  // The connection manager (io.outrigger.proxy.http) sits on routing and the router, which know
  // nothing of it: whatever they share lives below (RouteDecision in route, HopByHop in router).
  // proxyPackagesAreFreeOfCycles sees all of http as one slice, so it cannot catch this cycle.
  private static final ArchRule routingAndRouterSitBelowTheConnectionManager =
      noClasses()
          .that()
          .resideInAnyPackage("io.outrigger.proxy.http.route..", "io.outrigger.proxy.http.router..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.outrigger.proxy.http");

  private static final ArchRule dataPathDoesNotReachIntoAdminServerOrDiscovery =
      noClasses()
          .that()
          .resideInAnyPackage(
              "io.outrigger.proxy.tcp..",
              "io.outrigger.proxy.listener..",
              "io.outrigger.proxy.upstream..",
              "io.outrigger.proxy.http..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.outrigger.proxy.admin..",
              "io.outrigger.proxy.server..",
              "io.outrigger.proxy.xds..");

  // Tracing sits below the connection manager and the router behind three small interfaces, so
  // that the OpenTelemetry SDK stays in one package and the router does not grow with it.
  private static final ArchRule tracingIsALeafOfTheDataPath =
      noClasses()
          .that()
          .resideInAPackage("io.outrigger.proxy.tracing..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.outrigger.proxy.http..",
              "io.outrigger.proxy.listener..",
              "io.outrigger.proxy.upstream..",
              "io.outrigger.proxy.server..");

  private static final ArchRule onlyTracingUsesTheOpenTelemetrySdk =
      noClasses()
          .that()
          .resideOutsideOfPackage("io.outrigger.proxy.tracing..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.opentelemetry..");

  @Test
  void tracingStaysInItsPackage() {
    tracingIsALeafOfTheDataPath.check(CLASSES);
    onlyTracingUsesTheOpenTelemetrySdk.check(CLASSES);
  }

  @Test
  void modulesDependOnlyDownward() {
    modulesDependOnlyDownward.check(CLASSES);
  }

  @Test
  void contractHasNoNettyAndNoIo() {
    contractHasNoNettyAndNoIo.check(CLASSES);
  }

  @Test
  void modelIsPlainRecords() {
    modelIsPlainRecords.check(CLASSES);
  }

  @Test
  void proxyPackagesAreFreeOfCycles() {
    proxyPackagesAreFreeOfCycles.check(CLASSES);
  }

  @Test
  void routerSeesItsStreamOnlyThroughCallbacks() {
    routerSeesItsStreamOnlyThroughCallbacks.check(CLASSES);
  }

  @Test
  void routingAndRouterSitBelowTheConnectionManager() {
    routingAndRouterSitBelowTheConnectionManager.check(CLASSES);
  }

  @Test
  void dataPathDoesNotReachIntoAdminServerOrDiscovery() {
    dataPathDoesNotReachIntoAdminServerOrDiscovery.check(CLASSES);
  }

  @Test
  void storeIsAPlainService() {
    storeIsAPlainService.check(CLASSES);
  }

  @Test
  void controlPlaneUsesOnlyTheContractAndTheConfigReader() {
    controlPlaneUsesOnlyTheContractAndTheConfigReader.check(CLASSES);
  }

  @Test
  void controlPlanePackagesAreFreeOfCycles() {
    controlPlanePackagesAreFreeOfCycles.check(CLASSES);
  }

  @Test
  void labSpeaksHttpOnly() {
    labSpeaksHttpOnly.check(CLASSES);
  }

  @Test
  void theImportSawEveryModule() {
    org.assertj.core.api.Assertions.assertThat(CLASSES.containPackage("io.outrigger.api.model"))
        .isTrue();
    org.assertj.core.api.Assertions.assertThat(CLASSES.containPackage("io.outrigger.config"))
        .isTrue();
    org.assertj.core.api.Assertions.assertThat(CLASSES.containPackage("io.outrigger.proxy.tcp"))
        .isTrue();
    org.assertj.core.api.Assertions.assertThat(CLASSES.containPackage("io.outrigger.cli")).isTrue();
    org.assertj.core.api.Assertions.assertThat(CLASSES.containPackage("io.outrigger.kvstore"))
        .isTrue();
    org.assertj.core.api.Assertions.assertThat(CLASSES.containPackage("io.outrigger.lab.checker"))
        .isTrue();
    org.assertj.core.api.Assertions.assertThat(
            CLASSES.containPackage("io.outrigger.controlplane.xds"))
        .isTrue();
  }
}
