package io.outrigger.cli;

import static org.awaitility.Awaitility.await;

import io.outrigger.cli.mesh.LoopbackPorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The built {@code bin/outrigger proxy} as a process, with its own JVM options, started from a
 * bootstrap and waited for until {@code /ready}: what the process tests stream through and attack.
 */
public final class SidecarProcess implements AutoCloseable {
  private static final Path HOME =
      Path.of(System.getProperty("outrigger.home", "..")).toAbsolutePath();
  private static final LoopbackPorts PORTS = LoopbackPorts.forThisMachine(new SplittableRandom());

  private final Process process;
  private final Path log;
  private final int admin;

  private SidecarProcess(Process process, Path log, int admin) {
    this.process = process;
    this.log = log;
    this.admin = admin;
  }

  /**
   * @param bootstrap the YAML, with the admin port already in it
   * @param javaOpts the JVM's options (the heap and direct memory caps under test)
   */
  public static SidecarProcess start(Path dir, String bootstrap, int admin, String javaOpts)
      throws IOException {
    Path config = dir.resolve("sidecar.yaml");
    Files.writeString(config, bootstrap);
    Path log = dir.resolve("sidecar.log");
    ProcessBuilder pb =
        new ProcessBuilder(
            HOME.resolve("bin/outrigger").toString(),
            "proxy",
            "--config",
            config.toString(),
            "--concurrency",
            "2");
    pb.environment().put("JAVA_OPTS", javaOpts);
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    SidecarProcess p = new SidecarProcess(pb.directory(HOME.toFile()).start(), log, admin);
    HttpClient probe = HttpClient.newHttpClient();
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptionsInstanceOf(IOException.class)
          .until(
              () -> {
                if (!p.alive()) {
                  throw new IllegalStateException("the sidecar exited");
                }
                return probe
                        .send(
                            HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + admin + "/ready"))
                                .build(),
                            HttpResponse.BodyHandlers.discarding())
                        .statusCode()
                    == 200;
              });
    } catch (RuntimeException e) { // the wait's timeout, or the process's exit
      p.process.destroyForcibly();
      throw new AssertionError("the sidecar did not become ready; its log:\n" + p.log(), e);
    }
    return p;
  }

  /**
   * A bootstrap with admin on {@code admin} and one HTTP listener {@code ingress} on {@code listen}
   * that routes everything to cluster {@code service} at 127.0.0.1:{@code upstream}.
   *
   * @param topLevel more top-level bootstrap fields, unindented (an {@code overload_manager})
   * @param managerFields more HttpConnectionManager fields, unindented
   * @param route the route action, e.g. {@code "{ cluster: service, timeout: 0s }"}
   * @param clusterFields more fields of the cluster, unindented
   */
  public static String httpBootstrap(
      int admin,
      int listen,
      int upstream,
      String topLevel,
      String managerFields,
      String route,
      String clusterFields) {
    return """
        admin:
          address:
            socket_address: { address: 127.0.0.1, port_value: %d }
        %s
        static_resources:
          listeners:
          - name: ingress
            address:
              socket_address: { address: 127.0.0.1, port_value: %d }
            filter_chains:
            - filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: ingress
        %s
                  route_config:
                    virtual_hosts:
                    - name: all
                      domains: ["*"]
                      routes:
                      - match: { prefix: / }
                        route: %s
                  http_filters:
                  - name: envoy.filters.http.router
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
          clusters:
          - name: service
            connect_timeout: 1s
        %s
            load_assignment:
              cluster_name: service
              endpoints:
              - lb_endpoints:
                - endpoint:
                    address:
                      socket_address: { address: 127.0.0.1, port_value: %d }
        """
        .formatted(
            admin,
            indent(topLevel, 0),
            listen,
            indent(managerFields, 10),
            route,
            indent(clusterFields, 4),
            upstream);
  }

  private static String indent(String lines, int n) {
    String pad = " ".repeat(n);
    return lines.strip().lines().map(l -> pad + l).collect(Collectors.joining("\n"));
  }

  /**
   * A loopback port for a sidecar to bind, free now and below the kernel's ephemeral range, where
   * no outgoing connection takes it before the sidecar's bind a second or two later, as for the
   * mesh ({@link LoopbackPorts}). A {@code bind(0)} port comes from that range, where an outgoing
   * connection (the readiness probe's, say) can take it first: the likely cause of a sidecar that
   * did not start in CI right after {@code SlowClientsProcessIT}'s thousands of attack connections
   * (its log was not kept then; a failed start now shows it).
   */
  public static synchronized int freePort() {
    return PORTS.next();
  }

  public boolean alive() {
    return process.isAlive();
  }

  public String log() throws IOException {
    return Files.readString(log);
  }

  /** The process's resident set size in KiB, from {@code /proc}. */
  public long rssKib() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IOException("no VmRSS for " + process.pid());
  }

  /** The admin's Prometheus sample {@code sample}, or -1 when absent. */
  public double metric(String sample) throws IOException, InterruptedException {
    String text =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + admin + "/stats/prometheus"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    for (String line : text.split("\n")) {
      if (line.startsWith(sample + " ")) {
        return Double.parseDouble(line.substring(sample.length() + 1).trim());
      }
    }
    return -1;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
