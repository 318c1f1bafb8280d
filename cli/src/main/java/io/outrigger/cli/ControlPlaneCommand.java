package io.outrigger.cli;

import io.outrigger.api.validation.ConfigException;
import io.outrigger.controlplane.AccessOptions;
import io.outrigger.controlplane.ControlPlane;
import io.outrigger.controlplane.ControlPlaneOptions;
import io.outrigger.proxy.admin.LogLevels;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code outrigger control-plane}: serves xDS from a folder of Envoy v3 resources. */
@Command(
    name = "control-plane",
    mixinStandardHelpOptions = true,
    description = {
      "Serves xDS (ADS) from a folder of Envoy v3 resources.",
      "Its HTTP API shows proxy status, takes resources and endpoint registrations, and exposes"
          + " metrics.",
      "DIR/*.yaml are served to every node group, DIR/GROUP/*.yaml to the proxies whose"
          + " node.cluster is GROUP. See docs/xds.md."
    })
final class ControlPlaneCommand implements Callable<Integer> {
  @Option(
      names = {"-r", "--resources"},
      required = true,
      paramLabel = "DIR",
      description = "The folder of resource files; watched, and written back by the HTTP API.")
  Path resources;

  @Option(
      names = "--xds-address",
      paramLabel = "HOST:PORT",
      converter = HostPortConverter.class,
      description = "Where ADS (gRPC) is served (default: 127.0.0.1:18000).")
  InetSocketAddress xdsAddress = ControlPlaneOptions.DEFAULT_XDS_ADDRESS;

  @Option(
      names = "--http-address",
      paramLabel = "HOST:PORT",
      converter = HostPortConverter.class,
      description = "Where the HTTP API is served (default: 127.0.0.1:18001).")
  InetSocketAddress httpAddress = ControlPlaneOptions.DEFAULT_HTTP_ADDRESS;

  @Option(
      names = "--ca",
      paramLabel = "DIR",
      description =
          "A mesh CA made by `outrigger certs init`: every proxy is served the Secrets \"default\""
              + " (its certificate, spiffe://DOMAIN/ns/NAMESPACE/sa/SERVICE_ACCOUNT) and"
              + " \"ROOTCA\" over SDS. See docs/security.md.")
  Path ca;

  @Option(
      names = "--workload-ttl",
      paramLabel = "DURATION",
      description =
          "How long the certificates issued with --ca are valid; re-issued at half of it"
              + " (default: 24h).")
  java.time.Duration workloadTtl = ControlPlaneOptions.DEFAULT_WORKLOAD_TTL;

  @Option(
      names = "--tokens",
      paramLabel = "FILE",
      description =
          "The token file (`outrigger certs token`), watched: ADS serves only node tokens, each"
              + " only its own identity; the HTTP API only API tokens within their scopes."
              + " Required unless --insecure-no-auth.")
  Path tokens;

  @Option(
      names = "--insecure-no-auth",
      description =
          "Serve ADS and the HTTP API to anyone who reaches them, without tokens: anyone can"
              + " take any identity and change any resource or fault. Loopback experiments only.")
  boolean insecureNoAuth;

  @Option(
      names = "--insecure-plaintext-xds",
      description =
          "Serve ADS without TLS even with --ca: tokens, configuration and keys cross the network"
              + " readable by anyone on it. Without --ca this flag is required.")
  boolean insecurePlaintextXds;

  @Option(
      names = "--xds-host-name",
      paramLabel = "NAME",
      description =
          "A DNS name or IP address to put in the xDS server certificate besides localhost and"
              + " 127.0.0.1, for clients that compare host names (repeatable).")
  java.util.List<String> xdsHostNames = new java.util.ArrayList<>();

  @Option(
      names = {"-l", "--log-level"},
      paramLabel = "LEVEL",
      description =
          "trace, debug, info, warning, error, critical or off (default: ${DEFAULT-VALUE}).")
  String logLevel = "info";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    if (!LogLevels.isLevel(logLevel)) {
      err.println("--log-level: unknown level \"" + logLevel + "\"");
      return Outrigger.EXIT_CONFIG;
    }
    LogLevels.setAll(logLevel);
    Optional<String> refused = accessRefusal();
    if (refused.isPresent()) {
      err.println(refused.get());
      err.flush();
      return Outrigger.EXIT_CONFIG;
    }
    ControlPlaneOptions options =
        ControlPlaneOptions.defaults(resources).withAddresses(xdsAddress, httpAddress);
    if (ca != null) {
      options = options.withCa(ca, workloadTtl);
    }
    options =
        options.withAccess(
            new AccessOptions(
                Optional.ofNullable(tokens), ca != null && !insecurePlaintextXds, xdsHostNames));
    ControlPlane cp;
    try {
      cp = ControlPlane.start(options);
    } catch (ConfigException e) {
      err.println("config error: " + e.getMessage());
      err.flush();
      return Outrigger.EXIT_CONFIG;
    } catch (IOException | IllegalArgumentException e) {
      err.println("start failed: " + e.getMessage());
      err.flush();
      return 1;
    }
    spec.commandLine()
        .getOut()
        .printf(
            "control plane: ADS on %s (%s), HTTP API on http://%s%n",
            address(cp.xdsAddress()),
            options.access().xdsTls() ? "TLS" : "plaintext",
            address(cp.httpAddress()));
    spec.commandLine().getOut().flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Signals.onTerminate(stopped::countDown);
    stopped.await();
    cp.close();
    return 0;
  }

  /** Why the access flags do not go together, if they do not. */
  private Optional<String> accessRefusal() {
    if (ca == null && !insecurePlaintextXds) {
      return Optional.of(
          "--ca: required to serve ADS over TLS (or --insecure-plaintext-xds to serve it"
              + " readable by anyone on the network)");
    }
    if (tokens == null && !insecureNoAuth) {
      return Optional.of(
          "--tokens: required to know who may connect (or --insecure-no-auth to serve anyone)");
    }
    if (tokens != null && insecureNoAuth) {
      return Optional.of("--tokens and --insecure-no-auth: both given (expected: one)");
    }
    return Optional.empty();
  }

  private static String address(InetSocketAddress a) {
    return a.getAddress().getHostAddress() + ":" + a.getPort();
  }
}
